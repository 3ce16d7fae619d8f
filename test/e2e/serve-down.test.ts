/**
 * `lbuild down` says what it removed: once it printed "0 container(s) removed" after removing the
 * database and the workers. A detached stack with Postgres and a warm worker is taken down with
 * --volumes, and the report names the containers (Compose's and the workers), network and volume.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerGate, requireDocker } from '../support/gates.js';

const gate = await dockerGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };
// Ports of their own, so this file runs beside the other serve tests.
const apiPort = 3295;
const dbPort = 5495;

function lbuild(args: string[]) {
  return execa('node', [cli, ...args], { env, reject: false, all: true });
}

describe.skipIf(gate.skipReason)('lbuild down', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-downreport-'));
  writeFileSync(join(dir, 'app.py'), 'def handler(event, context):\n    return {"ok": True}\n');
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      name: 'downreport',
      runtime: 'python3.11',
      api: { port: apiPort },
      database: { port: dbPort },
      functions: { api: { handler: 'app.handler', routes: ['$default'] } },
    }),
  );

  afterAll(async () => {
    await lbuild(['down', dir, '--volumes']);
  });

  it('reports the containers, network and volume it removed, by name', async () => {
    const docker = await requireDocker();
    await lbuild(['down', dir, '--volumes']);
    const started = await lbuild(['serve', dir, '--detach', '--no-watch']);
    expect(started.exitCode, started.all).toBe(0);
    // A request makes a warm worker: a container the serve process removes itself on SIGTERM.
    const response = await request(`http://127.0.0.1:${apiPort}/`);
    expect(await response.body.json()).toEqual({ ok: true });

    const down = await execa('node', [cli, 'down', dir, '--volumes', '--json'], {
      env,
      reject: false,
    });
    expect(down.exitCode, down.stderr).toBe(0);
    const result = JSON.parse(down.stdout) as {
      containersRemoved: number;
      removed: { containers: string[]; networks: string[]; volumes: string[] };
    };
    const { containers, networks, volumes } = result.removed;
    // Compose names the database lbuild-downreport-db-1 (v2) or lbuild-downreport_db_1 (v1);
    // workers are lbuild-downreport-api-<n>-<run>.
    const database = containers.filter((name) => /^lbuild-downreport[-_]db[-_]1$/.test(name));
    const workers = containers.filter((name) => name.startsWith('lbuild-downreport-api-'));
    expect(database, containers.join(', ')).toHaveLength(1);
    expect(workers.length, containers.join(', ')).toBeGreaterThanOrEqual(1);
    expect(containers, 'nothing else').toHaveLength(database.length + workers.length);
    expect(result.containersRemoved).toBe(containers.length);
    expect(networks).toEqual(['lbuild-downreport_default']);
    expect(volumes).toEqual(['lbuild-downreport_pgdata']);
    expect(down.stderr).toContain(`removed ${containers.length} containers (`);
    expect(down.stderr).toContain('1 network (lbuild-downreport_default)');
    expect(down.stderr).toContain('1 volume (lbuild-downreport_pgdata)');
    // And they are gone.
    const left = await docker.listContainers({
      all: true,
      filters: { label: ['dev.lbuild.project=downreport'] },
    });
    expect(left).toEqual([]);
  });
});
