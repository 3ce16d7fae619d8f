/**
 * lbuild as a user installs it: `npm pack`, then `npm install <tarball>` into a fresh project. Catches
 * what the repository's own tests cannot see: a package.json pointing at files that are never built,
 * a `files` list that leaves out something read at run time (schema, images, runtime-support).
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  version: string;
};
const typescriptCli = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

interface PackedFile {
  path: string;
}

describe('the npm package', () => {
  let work: string;
  let consumer: string;
  let packed: string[];

  beforeAll(async () => {
    // e2e tests run the built CLI; build here only when nobody did (a fresh checkout).
    if (!existsSync(join(repo, 'dist', 'index.js')))
      await execa('npm', ['run', 'build'], { cwd: repo });
    work = mkdtempSync(join(tmpdir(), 'lbuild-pack-'));
    const pack = await execa('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo });
    const [tarball] = JSON.parse(pack.stdout) as Array<{ filename: string; files: PackedFile[] }>;
    packed = tarball!.files.map((f) => f.path);
    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    await execa(
      'npm',
      // Dependencies come from npm's cache when it has them; lbuild itself runs no install script.
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--ignore-scripts',
        join(work, tarball!.filename),
      ],
      { cwd: consumer },
    );
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships what the CLI reads at run time, and no sources or tests', () => {
    for (const file of [
      'bin/lbuild.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'schema/lbuild.schema.json',
      'images/build/Dockerfile',
      'images/offline/python-run.Dockerfile',
      'src/runtime-support/python/bootstrap.py',
      'src/runtime-support/node/bootstrap.mjs',
    ])
      expect(packed).toContain(file);
    expect(
      packed.filter((p) => p.startsWith('test/') || /^src\/(?!runtime-support\/)/.test(p)),
    ).toEqual([]);
  });

  it("import('lbuild') gives the library API", async () => {
    const script = join(consumer, 'check.mjs');
    writeFileSync(
      script,
      [
        "import * as lbuild from 'lbuild';",
        'const names = ["packageProject", "packageImage", "loadProject", "auditZip", "invokeFunction",',
        '  "startStack", "startEmulator", "startGateway", "startStaticServer", "findRuntime", "LogSink"];',
        'const error = new lbuild.ConfigError("functions.api.timeout", "must be <= 900", "fix it");',
        'console.log(JSON.stringify({',
        '  types: Object.fromEntries(names.map((n) => [n, typeof lbuild[n]])),',
        '  error: [error instanceof lbuild.UserError, error instanceof lbuild.LbuildError, error.exitCode, error.code],',
        '  runtime: lbuild.findRuntime("python3.11").name,',
        '}));',
      ].join('\n'),
    );
    const result = await execa('node', [script], { cwd: consumer });
    const report = JSON.parse(result.stdout) as {
      types: Record<string, string>;
      error: unknown[];
      runtime: string;
    };
    for (const [name, type] of Object.entries(report.types))
      expect([name, type]).toEqual([name, 'function']);
    expect(report.error).toEqual([true, true, 1, 'config-invalid']);
    expect(report.runtime).toBe('python3.11');
  });

  it('its types resolve from a TypeScript project', async () => {
    writeFileSync(
      join(consumer, 'check.ts'),
      [
        "import { packageProject, type PackageReport, type EmulatorOptions } from 'lbuild';",
        'export const run: (dir: string) => Promise<PackageReport> = async (dir) => {',
        "  const { loadProject } = await import('lbuild');",
        '  return packageProject(loadProject(dir));',
        '};',
        "export const options: Pick<EmulatorOptions, 'codeDir'> = { codeDir: '.' };",
      ].join('\n'),
    );
    const args = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext'];
    const result = await execa('node', [typescriptCli, ...args, 'check.ts'], {
      cwd: consumer,
      reject: false,
    });
    expect(result.stdout).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('the installed CLI runs: --version, and a config error that needs the shipped schema', async () => {
    const versionResult = await execa('npx', ['--no-install', 'lbuild', '--version'], {
      cwd: consumer,
    });
    expect(versionResult.stdout.trim()).toBe(version);
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'lbuild.json'),
      JSON.stringify({
        runtime: 'python3.11',
        functions: { api: { handler: 'app.handler', timeout: 901 } },
      }),
    );
    const bad = await execa('npx', ['--no-install', 'lbuild', 'package', app], {
      cwd: consumer,
      reject: false,
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('functions.api.timeout: must be <= 900');
  });
});
