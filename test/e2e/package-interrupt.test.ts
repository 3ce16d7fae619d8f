/**
 * The built CLI against a real engine: Ctrl-C in the middle of a dependency install removes the
 * build container and leaves no zip; a missing base image says which one and how to go offline.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lbuildContainers } from '../support/docker.js';
import { dockerGate, requireDocker } from '../support/gates.js';

const gate = await dockerGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));

describe.skipIf(gate.skipReason)('lbuild package on a real engine', () => {
  it('Ctrl-C during the install removes the build container and writes no zip', async () => {
    const docker = await requireDocker();
    const dir = mkdtempSync(join(tmpdir(), 'lbuild-sigint-'));
    mkdirSync(join(dir, 'slowpkg'));
    // A local package whose build takes a minute: plenty of time to interrupt it mid-install.
    writeFileSync(
      join(dir, 'slowpkg', 'setup.py'),
      'import time\ntime.sleep(60)\nfrom setuptools import setup\nsetup(name="slowpkg", version="1.0")\n',
    );
    writeFileSync(join(dir, 'requirements.txt'), './slowpkg\n');
    writeFileSync(join(dir, 'app.py'), 'def handler(event, context):\n    return 1\n');
    writeFileSync(
      join(dir, 'lbuild.json'),
      JSON.stringify({
        name: 'slow',
        runtime: 'python3.11',
        functions: { fn: { handler: 'app.handler' } },
        package: { installArgs: ['--no-index', '--no-build-isolation'] },
      }),
    );
    const run = execa('node', [cli, 'package', dir, '--no-cache'], {
      reject: false,
      env: { LBUILD_IMAGE_SOURCE: 'offline' },
    });
    let stderr = '';
    run.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await expect.poll(() => stderr, { timeout: 60_000, interval: 100 }).toContain('▸ install');
    // The container exists once the install stage is running.
    await expect
      .poll(async () => (await lbuildContainers(docker, run.pid!)).length, {
        timeout: 30_000,
        interval: 200,
      })
      .toBe(1);
    run.kill('SIGINT');
    const result = await run;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain("SIGINT: stopping and removing lbuild's containers");
    expect(await lbuildContainers(docker, run.pid!)).toEqual([]);
    expect(existsSync(join(dir, '.lbuild', 'dist', 'slow.zip'))).toBe(false);
  });

  it('a base image that is neither local nor pullable exits 2, naming it and the offline option', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbuild-noimage-'));
    writeFileSync(join(dir, 'requirements.txt'), '\n');
    writeFileSync(join(dir, 'app.py'), '');
    const result = await execa(
      'node',
      [cli, 'package', dir, '--runtime', 'python3.13', '--handler', 'app.handler'],
      {
        reject: false,
        env: { LBUILD_IMAGE_SOURCE: 'aws' },
      },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('public.ecr.aws/sam/build-python3.13:latest');
    expect(result.stderr).toContain('lbuild images build --offline');
  });

  it('refuses a runtime no offline stand-in covers, naming the ones that exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbuild-nostandin-'));
    writeFileSync(join(dir, 'requirements.txt'), '\n');
    const result = await execa(
      'node',
      [cli, 'package', dir, '--runtime', 'python3.12', '--handler', 'app.handler'],
      { reject: false, env: { LBUILD_IMAGE_SOURCE: 'offline' } },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('no offline stand-in image exists for python3.12');
    expect(result.stderr).toContain(
      'Offline stand-ins cover python3.14, python3.13, python3.11, python3.15, nodejs24.x, nodejs22.x, nodejs20.x, nodejs18.x.',
    );
  });
});
