/**
 * `lbuild audit` through commander and runCommand in a child process: the JSON report on stdout,
 * the human report on stderr, exit code 1 when there are errors and 0 otherwise.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildHost, hostGate } from '../../unit/audit/binaries.js';
import { skipNote } from '../../support/gates.js';
import { workDir } from '../../unit/audit/toolchain.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = fileURLToPath(new URL('./lbuild-audit.ts', import.meta.url));

async function cli(
  ...args: string[]
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const result = await execa(
    'node',
    [join(root, 'node_modules', '.bin', 'vite-node'), entry, 'audit', ...args],
    { cwd: root, reject: false },
  );
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

describe.skipIf(hostGate.skipReason)(`lbuild audit${skipNote(hostGate)}`, () => {
  it('prints the JSON report and exits 1 when the package fails', async () => {
    const bin = buildHost();
    const dir = workDir();
    cpSync(bin.statx, join(dir, '_native.so'));
    writeFileSync(join(dir, 'app.py'), 'import _native\n');
    const failing = await cli(dir, '--runtime', 'python3.11', '--arch', 'x86_64', '--json');
    expect(failing.exitCode).toBe(1);
    const report = JSON.parse(failing.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining([
        'ok',
        'runtime',
        'architecture',
        'files',
        'elfFiles',
        'errors',
        'warnings',
        'durationMs',
      ]),
    );
    expect(report).toMatchObject({
      ok: false,
      runtime: 'python3.11',
      architecture: 'x86_64',
      files: 2,
      elfFiles: 1,
    });
    expect(report.errors).toEqual([
      {
        file: '_native.so',
        kind: 'glibc-too-new',
        message: 'needs GLIBC_2.28 (statx), python3.11 (Amazon Linux 2) has 2.26',
        fix: expect.stringContaining('public.ecr.aws/sam/build-python3.11'),
      },
    ]);
    expect(failing.stderr).toContain('✖ audit of');
    expect(failing.stderr).toContain('error: _native.so');
    expect(failing.stderr).toContain('fix: Build it in the official build image for python3.11');

    const passing = await cli(dir, '--runtime', 'python3.12');
    expect(passing.exitCode).toBe(0);
    expect(passing.stdout).toBe('');
    expect(passing.stderr).toMatch(
      /^✔ audit of .* for python3\.12 \(Amazon Linux 2023, glibc 2\.34\) x86_64: 0 errors, 0 warnings/,
    );
  });

  it('rejects an unknown runtime or architecture as a user error', async () => {
    const dir = workDir();
    const runtime = await cli(dir, '--runtime', 'python2.7', '--json');
    expect(runtime.exitCode).toBe(1);
    expect(JSON.parse(runtime.stdout)).toMatchObject({
      error: 'user-error',
      message: 'unknown runtime "python2.7"',
    });
    const arch = await cli(dir, '--runtime', 'python3.12', '--arch', 'sparc');
    expect(arch.exitCode).toBe(1);
    expect(arch.stderr).toContain('unknown architecture "sparc"');
    const missing = await cli(dir);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain("required option '--runtime <runtime>' not specified");
  });
});
