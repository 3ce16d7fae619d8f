/**
 * `lbuild init --from` through the built CLI on copies of the Zappa and Serverless fixtures, then
 * `lbuild package` and `lbuild serve` on what it wrote: imported routes answer through the API
 * Gateway front (Zappa's under its /dev stage, as deployed; Serverless' with path parameters).
 * Flask comes from the Debian-made wheels a pip.conf names, as scripts/dev.sh does. The SAM
 * importer's config is checked in test/unit/init (its e2e run would add about 20 s). Ports 4770-4773.
 */
import { execa } from 'execa';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { debianWheelsGate, dockerGate } from '../support/gates.js';
import { copyInitFixture } from '../unit/init/init-helpers.js';

const gate = await dockerGate();
const wheels = await debianWheelsGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };

function lbuild(args: string[]) {
  return execa('node', [cli, ...args], { env, reject: false, all: true });
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await request(url);
  return { status: response.statusCode, body: await response.body.json() };
}

describe.skipIf(gate.skipReason ?? wheels.skipReason)(
  'lbuild init --from, then package and serve the result',
  () => {
    const started: string[] = [];

    afterAll(async () => {
      // Each down waits for its workers to stop; the stacks are independent.
      const downs = await Promise.all(started.map((dir) => lbuild(['down', dir])));
      for (const [index, down] of downs.entries()) {
        expect(down.exitCode, down.all).toBe(0);
        rmSync(started[index]!, { recursive: true, force: true });
      }
    });

    /** init (JSON report), package, serve detached on `port`; returns the report. */
    async function importAndServe(fixture: string, from: string, port: number) {
      const dir = copyInitFixture(fixture);
      if (fixture === 'zappa') {
        const { folder } = await wheels.ensureWheels!('bookworm');
        writeFileSync(join(dir, 'pip.conf'), `[global]\nno-index = true\nfind-links = ${folder}\n`);
      }
      const init = await lbuild(['init', dir, '--from', join(dir, from), '--json']);
      expect(init.exitCode, init.all).toBe(0);
      const report = JSON.parse(init.stdout) as { written: boolean; mapped: string[] };
      expect(report.written).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'lbuild.json'), 'utf8'))).toHaveProperty('$schema');
      const pack = await lbuild(['package', dir, '--json']);
      expect(pack.exitCode, pack.all).toBe(0);
      started.push(dir);
      const serve = await lbuild(['serve', dir, '--detach', '--no-watch', '--port', String(port)]);
      expect(serve.exitCode, serve.all).toBe(0);
      return report;
    }

    it('Zappa: the Flask app under its stage, with the stage environment', async () => {
      const report = await importAndServe('zappa', 'zappa_settings.json', 4770);
      expect(report.mapped).toContain(
        'functions.api.handler wsgi:app.app ← dev.app_function app.app',
      );
      const hello = await getJson('http://127.0.0.1:4770/dev/hello');
      expect(hello).toEqual({ status: 200, body: { greeting: 'hello from zappa', stage: 'dev' } });
    });

    it('Serverless: httpApi routes with path parameters reach their own functions', async () => {
      await importAndServe('serverless', 'serverless.yml', 4772);
      const note = await getJson('http://127.0.0.1:4772/notes/1');
      expect(note).toEqual({ status: 200, body: { id: '1', text: 'first' } });
      const list = await getJson('http://127.0.0.1:4772/notes');
      expect(list.body).toMatchObject({ table: 'notes-api-dev-notes' });
      const health = await getJson('http://127.0.0.1:4772/health');
      expect(health).toEqual({ status: 200, body: { ok: true, check: 'shallow' } });
    });
  },
);
