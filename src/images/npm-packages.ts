import { execa } from 'execa';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.js';
import type { Reporter } from '../log.js';
import { cacheDir } from './cache-dir.js';
import type { FetchedFile } from './offline-plan.js';

/**
 * `npm pack` a package into lbuild's cache (once: a cached tarball of the same major is reused, so
 * the stand-in stays the same until someone removes it). The host's npm already trusts its proxy.
 */
const fetching = new Map<string, Promise<string>>();
/** One fetch per package per process: the build and run images of nodejs22.x build in parallel. */
export function fetchPackage(file: FetchedFile, reporter: Reporter): Promise<string> {
  let fetched = fetching.get(file.spec);
  if (!fetched) {
    fetched = fetchPackageOnce(file, reporter);
    fetching.set(file.spec, fetched);
    fetched.catch(() => fetching.delete(file.spec));
  }
  return fetched;
}

async function fetchPackageOnce(file: FetchedFile, reporter: Reporter): Promise<string> {
  const dir = join(cacheDir(), 'npm-packages');
  await mkdir(dir, { recursive: true });
  const [name, major] = file.spec.split('@') as [string, string];
  const cached = (await readdir(dir))
    .filter((f) => f.startsWith(`${name}-${major}.`) && f.endsWith('.tgz'))
    .sort();
  if (cached.length > 0) return join(dir, cached.at(-1)!);
  const done = reporter.stage('fetch', `${file.spec} (npm registry)`);
  const packed = await execa('npm', ['pack', file.spec, '--pack-destination', dir, '--json'], {
    reject: false,
  });
  if (packed.exitCode !== 0) {
    throw new EnvironmentError(
      `npm pack ${file.spec} failed: ${packed.stderr.split('\n').slice(-5).join('\n')}`,
      {
        hint: 'The nodejs22.x stand-in takes the official Node.js build from the npm registry: check that npm reaches it (npm ping).',
      },
    );
  }
  done();
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
  return join(dir, info!.filename);
}
