/**
 * `lbuild serve` failure paths, each with the cause and the fix in the message and nothing left
 * running: a busy port, a database that never becomes healthy, Ctrl-C during start-up.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { removeComposeProject } from '../support/docker.js';
import { dockerGate, requireDocker } from '../support/gates.js';
import { offlineImage } from '../../src/runtimes/images.js';
import { findRuntime } from '../../src/runtimes/lookup.js';

const gate = await dockerGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const env = { LBUILD_IMAGE_SOURCE: 'offline' };

function project(name: string, database?: Record<string, unknown>, override?: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lbuild-${name}-`));
  writeFileSync(join(dir, 'app.py'), 'def handler(event, context):\n    return {"ok": True}\n');
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      name,
      runtime: 'python3.11',
      functions: { api: { handler: 'app.handler', routes: ['$default'] } },
      ...(database ? { database } : {}),
    }),
  );
  if (override) writeFileSync(join(dir, 'lbuild.compose.yml'), override);
  return dir;
}

async function composeContainers(name: string): Promise<string[]> {
  const docker = await requireDocker();
  const list = await docker.listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=lbuild-${name}`] },
  });
  return list.map((c) => c.Names[0] ?? c.Id);
}

// A "database" that runs but never passes pg_isready: the user's override file (merged by lbuild)
// swaps in an image without Postgres that just sleeps.
const neverHealthy = `services:\n  db:\n    image: ${offlineImage(findRuntime('python3.11'), 'run', 'x86_64')}\n    command: ["sleep", "infinity"]\n`;

describe.skipIf(gate.skipReason)('lbuild serve failure paths', () => {
  let blocker: Server | undefined;
  afterAll(() => blocker?.close());
  // serve keeps the database volume when it stops (the data survives a restart): drop it here.
  afterAll(async () => {
    const docker = await requireDocker();
    for (const name of ['busyport', 'sickdb', 'ctrlc'])
      await removeComposeProject(docker, `lbuild-${name}`);
  });

  it('a busy port exits 2 naming the port and the setting that changes it', async () => {
    blocker = createServer().listen(3290, '127.0.0.1');
    const dir = project('busyport');
    const result = await execa('node', [cli, 'serve', dir, '--port', '3290', '--no-watch'], {
      env,
      reject: false,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('port 3290 (API Gateway) is already in use');
    expect(result.stderr).toMatch(/hint: .*api\.port or --port/);
  });

  it('a database that never becomes healthy exits 2 after the timeout and leaves no container', async () => {
    const dir = project('sickdb', { healthTimeout: 4 }, neverHealthy);
    const result = await execa('node', [cli, 'serve', dir, '--port', '3291', '--no-watch'], {
      env,
      reject: false,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /the database did not become healthy within 4 s \(last state: (starting|unhealthy)\)/,
    );
    expect(result.stderr).toContain('lbuild logs db');
    expect(await composeContainers('sickdb')).toEqual([]);
  });

  it('Ctrl-C while waiting for the database stops and removes what was started', async () => {
    const dir = project('ctrlc', { healthTimeout: 120 }, neverHealthy);
    const run = execa('node', [cli, 'serve', dir, '--port', '3292', '--no-watch'], {
      env,
      reject: false,
    });
    let stderr = '';
    run.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await expect.poll(() => stderr, { timeout: 60_000 }).toContain('▸ database');
    await expect
      .poll(() => composeContainers('ctrlc'), { timeout: 60_000, interval: 250 })
      .toHaveLength(1);
    run.kill('SIGINT');
    const result = await run;
    expect(result.exitCode, `${result.signal} ${stderr}`).toBe(130);
    expect(await composeContainers('ctrlc')).toEqual([]);
  });
});
