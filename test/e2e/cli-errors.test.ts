/**
 * The built CLI, as a user runs it: exit codes and the words on stderr for the two most common
 * mistakes (a bad lbuild.json, no Docker engine), and --json output on stdout.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-cli-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('lbuild CLI errors', () => {
  it('a bad lbuild.json exits 1 and names the JSON path and the fix', async () => {
    const dir = project({
      'lbuild.json': JSON.stringify({
        runtime: 'python3.11',
        functions: { api: { handler: 'app.handler', timeout: 901 } },
      }),
    });
    const result = await execa('node', [cli, 'package', dir], { reject: false });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('functions.api.timeout: must be <= 900');
    expect(result.stderr).toMatch(/hint: .*timeout 1-900 s/);
    expect(result.stdout).toBe('');
  });

  it('a preview runtime is refused unless asked for; an unknown one lists the current runtimes first', async () => {
    const dir = project({ 'app.py': 'def handler(e, c): return 1\n' });
    const preview = await execa(
      'node',
      [cli, 'package', dir, '--runtime', 'python3.15', '--handler', 'app.handler'],
      { reject: false },
    );
    expect(preview.exitCode).toBe(1);
    expect(preview.stderr).toContain('python3.15 is a preview runtime, not for production');
    expect(preview.stderr).toContain('Use python3.14, or opt in with --allow-preview');
    const unknown = await execa(
      'node',
      [cli, 'package', dir, '--runtime', 'nodejs16.x', '--handler', 'app.handler', '--json'],
      { reject: false },
    );
    expect(unknown.exitCode).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({
      ok: false,
      message: 'unknown runtime "nodejs16.x"',
      hint: expect.stringMatching(
        /^Current runtimes: python3\.14, python3\.13, python3\.12, python3\.11, nodejs24\.x, nodejs22\.x\./,
      ),
    });
  });

  it('with --json the error is one JSON object on stdout', async () => {
    const dir = project({
      'lbuild.json':
        '{"functions": {"api": {"handler": "a.b", "memorySize": "big"}}, "runtime": "python3.11"}',
    });
    const result = await execa('node', [cli, 'package', dir, '--json'], { reject: false });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      error: 'config-invalid',
      details: { path: 'functions.api.memorySize' },
    });
  });

  it('no Docker engine exits 2 and says how to start one', async () => {
    const dir = project({ 'requirements.txt': 'six\n', 'app.py': 'def handler(e, c): return 1\n' });
    const result = await execa(
      'node',
      [cli, 'package', dir, '--runtime', 'python3.11', '--handler', 'app.handler'],
      {
        reject: false,
        env: { DOCKER_HOST: 'unix:///tmp/lbuild-no-such-docker.sock' },
      },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'cannot reach the Docker engine at unix:///tmp/lbuild-no-such-docker.sock',
    );
    expect(result.stderr).toMatch(/hint: Start a Docker engine/);
  });

  it('an unknown runtime flag exits 1 with the list of runtimes', async () => {
    const dir = project({ 'app.py': '' });
    const result = await execa(
      'node',
      [cli, 'package', dir, '--runtime', 'python2.7', '--handler', 'app.handler'],
      { reject: false },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('unknown runtime "python2.7"');
    expect(result.stderr).toContain('nodejs22.x');
  });

  it('a project without dependencies packages without Docker at all', async () => {
    const dir = project({ 'app.py': 'def handler(e, c):\n    return 1\n' });
    const result = await execa(
      'node',
      [cli, 'package', dir, '--runtime', 'python3.12', '--handler', 'app.handler', '--json'],
      {
        reject: false,
        env: { DOCKER_HOST: 'unix:///tmp/lbuild-no-such-docker.sock' },
      },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ files: 1, cache: 'none', runtime: 'python3.12' });
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
