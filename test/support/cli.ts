/** Run `lbuild <args>` from the sources in a child process, as a user would run the CLI. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = fileURLToPath(new URL('./lbuild-from-source.ts', import.meta.url));

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function lbuild(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await execa(
    'node',
    [join(root, 'node_modules', '.bin', 'vite-node'), entry, ...args],
    {
      cwd: root,
      env,
      reject: false,
    },
  );
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}
