/**
 * The README's main job, as a user sees it: `lbuild serve --detach` on the Python example (its
 * Flask and psycopg2 in the zip, from the Debian-made wheels a pip.conf names, as dev.sh does;
 * libpq bundled, since the run image has none, as on Lambda), then a real browser (Debian's Chromium via playwright-core) uses the SPA, which calls the API
 * cross-origin; the data lands in the real Postgres; a source edit is live without a restart;
 * `lbuild down` removes the containers but keeps the data for the next `serve`.
 */
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { debianWheelsGate, dockerGate, requireDocker } from '../support/gates.js';
import { listZip } from '../support/zip-inspect.js';

const gate = await dockerGate();
const wheels = await debianWheelsGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const example = fileURLToPath(new URL('../../examples/python-app/', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };

async function lbuild(args: string[]) {
  return execa('node', [cli, ...args], { env, reject: false, all: true });
}

async function composeContainers(docker: Docker): Promise<string[]> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: ['com.docker.compose.project=lbuild-shop'] },
  });
  return list.map((c) => c.Names[0] ?? c.Id);
}

describe.skipIf(gate.skipReason ?? wheels.skipReason)(
  'lbuild serve: the Python example in a browser',
  () => {
    let docker: Docker;
    let dir: string;
    let browser: Browser;

    beforeAll(async () => {
      docker = await requireDocker();
      dir = mkdtempSync(join(tmpdir(), 'lbuild-example-'));
      cpSync(example, dir, { recursive: true });
      // What scripts/dev.sh writes (no PyPI here): the requirements' pins from local wheels.
      const { folder } = await wheels.ensureWheels!('bookworm');
      writeFileSync(join(dir, 'pip.conf'), `[global]\nno-index = true\nfind-links = ${folder}\n`);
      await lbuild(['down', dir, '--volumes']);
      const started = await lbuild(['serve', dir, '--detach', '--json']);
      expect(started.exitCode, started.all).toBe(0);
      browser = await launchChromium();
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      if (dir) await lbuild(['down', dir, '--volumes']);
    });

    it('serves the SPA with deep-link fallback and creates an item through the API into Postgres', async () => {
      const page = await browser.newPage();
      await page.goto('http://127.0.0.1:8080/');
      // The first request includes the worker's cold start (about 1 s on a busy 2-core machine).
      await expect
        .poll(() => page.textContent('#items'), { timeout: 20_000 })
        .toContain('No items yet');

      await page.fill('input[name=name]', 'Blue mug');
      await page.click('form#add button');
      await expect
        .poll(() => page.textContent('#items'), { timeout: 20_000 })
        .toContain('Blue mug');

      // Client-side navigation to the item page, then a reload: the static host must answer the
      // deep link with index.html (CloudFront-style fallback) for the SPA to render it again.
      await page.click('text=Blue mug');
      await expect.poll(() => page.textContent('#item-name'), { timeout: 20_000 }).toBe('Blue mug');
      const url = page.url();
      expect(url).toMatch(/\/items\/\d+$/);
      const reload = await page.reload();
      expect(reload?.status()).toBe(200);
      await expect.poll(() => page.textContent('#item-name'), { timeout: 20_000 }).toBe('Blue mug');

      const state = JSON.parse(readFileSync(join(dir, '.lbuild', 'serve', 'state.json'), 'utf8'));
      const rows = await execa('psql', [state.databaseUrl, '-tAc', 'SELECT name FROM items']);
      expect(rows.stdout.trim()).toBe('Blue mug');
    });

    it("the zip carries the app's libraries and libpq, not the run image", async () => {
      const out = join(dir, 'shop.zip');
      const packaged = await lbuild(['package', dir, '--out', out, '--json']);
      expect(packaged.exitCode, packaged.all).toBe(0);
      const report = JSON.parse(packaged.stdout) as { cache: string };
      expect(report.cache).toBe('hit'); // serve built the same dependencies
      const names = (await listZip(out)).map((entry) => entry.name);
      expect(names).toContain('flask/__init__.py');
      expect(names).toContain('werkzeug/__init__.py');
      expect(names).toContainEqual(
        expect.stringMatching(/^psycopg2\/_psycopg\.cpython-311-.*\.so$/),
      );
      expect(names).toContain('lib/libpq.so.5');
      // Package sources are not code: the pip.conf stays out.
      expect(names).not.toContain('pip.conf');
    });

    it('answers CORS preflights for the SPA origin only', async () => {
      const allowed = await request('http://127.0.0.1:3000/api/items', {
        method: 'OPTIONS',
        headers: {
          origin: 'http://127.0.0.1:8080',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(allowed.statusCode).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8080');
      await allowed.body.dump();
      const other = await request('http://127.0.0.1:3000/api/items', {
        headers: { origin: 'http://evil.example' },
      });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      await other.body.dump();
    });

    it('hot-reloads a handler change without a restart', async () => {
      const app = join(dir, 'app.py');
      writeFileSync(
        app,
        readFileSync(app, 'utf8').replace(
          'return {"ok": True}',
          'return {"ok": True, "version": 2}',
        ),
      );
      await expect
        .poll(
          async () => {
            const response = await request('http://127.0.0.1:3000/api/health');
            return response.body.json();
          },
          { timeout: 15_000, interval: 200 },
        )
        .toEqual({ ok: true, version: 2 });
    });

    it('lbuild invoke reaches the running stack: same network, same database', async () => {
      const result = await lbuild(['invoke', 'migrate', '--dir', dir, '--json']);
      expect(result.exitCode, result.all).toBe(0);
      const out = JSON.parse(result.stdout);
      expect(out).toMatchObject({
        via: 'stack',
        status: 'succeeded',
        result: { migrated: true, items: 1 },
      });
    });

    it('down removes every container but keeps the data for the next serve', async () => {
      const servePid = JSON.parse(readFileSync(join(dir, '.lbuild', 'serve', 'state.json'), 'utf8'))
        .pid as number;
      const down = await lbuild(['down', dir]);
      expect(down.exitCode, down.all).toBe(0);
      expect(await composeContainers(docker)).toEqual([]);
      // No Lambda worker of that serve process survives either.
      expect(
        await docker.listContainers({
          all: true,
          filters: { label: ['dev.lbuild.role=worker', `dev.lbuild.pid=${servePid}`] },
        }),
      ).toEqual([]);
      // Stopping is quiet: the workers being removed do not each log that their runtime went away.
      const served = readFileSync(join(dir, '.lbuild', 'serve', 'serve.log'), 'utf8');
      expect(served).toContain('START RequestId');
      expect(served).not.toMatch(/runtime exited/);

      const again = await lbuild(['serve', dir, '--detach']);
      expect(again.exitCode, again.all).toBe(0);
      const response = await request('http://127.0.0.1:3000/api/items');
      const items = (await response.body.json()) as { name: string }[];
      expect(items.map((i) => i.name)).toEqual(['Blue mug']);
    });
  },
);
