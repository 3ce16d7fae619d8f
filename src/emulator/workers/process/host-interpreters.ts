/**
 * Which host executables run lbuild's bootstraps for process workers. `python3` is often a shim
 * (pyenv, asdf) that needs the user's shell environment; workers get only Lambda's environment, so
 * we resolve the real interpreter once, with the host environment, and spawn that.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EnvironmentError } from '../../../errors.js';
import type { Language } from '../../../runtimes/catalog.js';

const run = promisify(execFile);
const cache = new Map<string, Promise<HostInterpreter>>();

export interface HostInterpreter {
  path: string;
  /** "3.11" or "20": compared with the function's runtime to warn about a mismatch. */
  version: string;
}

export function hostInterpreter(language: Language, command?: string): Promise<HostInterpreter> {
  const key = `${language}:${command ?? ''}`;
  let found = cache.get(key);
  if (!found) {
    found =
      language === 'python'
        ? resolvePython(command ?? 'python3')
        : Promise.resolve({
            path: command ?? process.execPath,
            version: process.versions.node.split('.')[0] ?? '',
          });
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}

async function resolvePython(command: string): Promise<HostInterpreter> {
  try {
    const { stdout } = await run(
      command,
      ['-c', 'import sys; print(sys.executable); print("%d.%d" % sys.version_info[:2])'],
      { timeout: 15_000 },
    );
    const [path = '', version = ''] = stdout.trim().split('\n');
    return { path: path.trim(), version: version.trim() };
  } catch (error) {
    throw new EnvironmentError(
      `cannot run ${command} for a host-process Python worker (${(error as Error).message})`,
      {
        cause: error,
        hint: 'Install Python 3.9 or newer on the host (e.g. `apt-get install python3`), or use container workers (--workers container).',
      },
    );
  }
}
