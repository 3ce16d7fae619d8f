/**
 * examples/django-app as its README tells a user to run it: `lbuild serve --detach`, then
 * `lbuild manage migrate` against the stack's Postgres (Django and psycopg2 in the zip, from the
 * Debian-made wheels a pip.conf names, as scripts/dev.sh does; libpq bundled, as on Lambda), the
 * view reads the seeded rows through the API Gateway front, and a real browser (Debian's Chromium
 * via playwright-core) logs in to the admin. An unknown command exits non-zero with Django's own
 * message.
 */
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debianWheelsGate, dockerGate, requireDocker } from '../support/gates.js';
import { listZip } from '../support/zip-inspect.js';

const gate = await dockerGate();
const wheels = await debianWheelsGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const example = fileURLToPath(new URL('../../examples/django-app/', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };
// A project name and ports of its own (4100-4199), so this file runs beside the other serve tests
// and beside a developer's `lbuild serve` of the example itself.
const project = 'bookshelf-e2e';
const dbPort = 4150;
const apiPort = 4151; // and the Invoke API on the next port, 4152
const api = `http://127.0.0.1:${apiPort}`;
const password = 'e2e-only-Pa55word';

function lbuild(args: string[]) {
  return execa('node', [cli, ...args], { env, reject: false });
}

describe.skipIf(gate.skipReason ?? wheels.skipReason)(
  'examples/django-app: migrate, a view over Postgres, the admin in a browser',
  () => {
    let dir: string;
    let browser: Browser | undefined;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'lbuild-django-example-'));
      cpSync(example, dir, {
        recursive: true,
        // A developer's own serve state and pip.conf stay behind.
        filter: (source) => !/[/\\](\.lbuild|pip\.conf|__pycache__)$/.test(source),
      });
      // What scripts/dev.sh writes (no PyPI here): the requirements' pins from local wheels.
      const { folder } = await wheels.ensureWheels!('bookworm');
      writeFileSync(join(dir, 'pip.conf'), `[global]\nno-index = true\nfind-links = ${folder}\n`);
      const config = JSON.parse(readFileSync(join(dir, 'lbuild.json'), 'utf8')) as object;
      writeFileSync(
        join(dir, 'lbuild.json'),
        JSON.stringify({
          ...config,
          name: project,
          api: { port: apiPort },
          database: { port: dbPort },
        }),
      );
      // A run that died before its afterAll left this project's database volume: start empty.
      await lbuild(['down', dir, '--volumes']);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      if (!dir) return;
      const down = await lbuild(['down', dir, '--volumes']);
      const docker = await requireDocker();
      const left = await docker.listContainers({
        all: true,
        filters: { label: [`com.docker.compose.project=lbuild-${project}`] },
      });
      rmSync(dir, { recursive: true, force: true });
      expect(down.exitCode, down.stderr).toBe(0);
      expect(left.map((c) => c.Names[0])).toEqual([]);
    }, 120_000);

    it('serves, then `lbuild manage migrate` creates the tables and seeds the books', async () => {
      const served = await lbuild(['serve', dir, '--detach', '--no-watch']);
      expect(served.exitCode, served.stderr).toBe(0);

      const migrate = await lbuild(['manage', '--dir', dir, 'migrate', '--noinput']);
      expect(migrate.exitCode, migrate.stderr).toBe(0);
      expect(migrate.stdout).toContain('Applying contenttypes.0001_initial... OK');
      expect(migrate.stdout).toContain('Applying auth.0001_initial... OK');
      expect(migrate.stdout).toContain('Applying sessions.0001_initial... OK');
      expect(migrate.stdout).toContain('Applying catalog.0001_initial... OK');
      expect(migrate.stdout).toContain('Applying catalog.0002_seed_books... OK');

      // Postgres itself has the rows, seen from the host.
      const state = JSON.parse(readFileSync(join(dir, '.lbuild', 'serve', 'state.json'), 'utf8'));
      expect(state.databaseUrl).toContain(`@127.0.0.1:${dbPort}/`);
      const rows = await execa('psql', [
        state.databaseUrl,
        '-tAc',
        'SELECT count(*) FROM catalog_book',
      ]);
      expect(rows.stdout.trim()).toBe('3');
    }, 300_000);

    it('the view reads the seeded books from Postgres through the API Gateway front', async () => {
      const response = await request(`${api}/books/`);
      const body = await response.body.text();
      expect(response.statusCode, body).toBe(200);
      expect(response.headers['content-type']).toBe('application/json');
      const { books } = JSON.parse(body) as { books: { title: string; year: number }[] };
      // The model's ordering (year, then title), applied by the query.
      expect(books.map((b) => [b.year, b.title])).toEqual([
        [1975, 'The Mythical Man-Month'],
        [1985, 'Structure and Interpretation of Computer Programs'],
        [2017, 'Designing Data-Intensive Applications'],
      ]);
    });

    it('the admin: /admin/ redirects to the login page, and a superuser logs in', async () => {
      browser = await launchChromium();
      const page = await browser.newPage();
      const styles: number[] = [];
      page.on('response', (r) => {
        if (r.url().includes('/static/admin/css/')) styles.push(r.status());
      });
      await page.goto(`${api}/admin/`);
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(
        '/admin/login/?next=/admin/',
      );
      expect(await page.title()).toBe('Log in | Django site admin');
      expect(await page.locator('input[name=username]').count()).toBe(1);
      expect(await page.locator('input[name=password]').count()).toBe(1);
      // The admin's CSS comes from the function too (the example's .env turns that on locally).
      expect(styles.length).toBeGreaterThan(0);
      expect(styles.every((status) => status === 200)).toBe(true);

      // No terminal for createsuperuser's prompts, and lbuild manage passes no host variables
      // (DJANGO_SUPERUSER_PASSWORD): the README's other way, `shell -c`.
      const created = await lbuild([
        'manage',
        '--dir',
        dir,
        'shell',
        '-c',
        `from django.contrib.auth.models import User; User.objects.create_superuser("admin", "a@b.c", "${password}")`,
      ]);
      expect(created.exitCode, created.stderr).toBe(0);

      await page.fill('input[name=username]', 'admin');
      await page.fill('input[name=password]', 'not-the-password');
      await page.click('input[type=submit]');
      expect(await page.textContent('.errornote')).toContain(
        'Please enter the correct username and password',
      );

      // The CSRF cookie and the session cookie travel through the gateway both ways.
      await page.fill('input[name=password]', password);
      await page.click('input[type=submit]');
      await page.waitForURL(`${api}/admin/`);
      expect(await page.title()).toBe('Site administration | Django site admin');
      expect(await page.textContent('#content-main')).toContain('Books');

      // The admin's change list reads the same rows.
      await page.locator('#content-main').getByRole('link', { name: 'Books' }).click();
      expect(await page.textContent('#result_list')).toContain('The Mythical Man-Month');
    }, 120_000);

    it('the zip manage ran carries Django, psycopg2 and libpq, and no .env or pip.conf', async () => {
      const names = (await listZip(join(dir, '.lbuild', 'manage', `${project}.zip`))).map(
        (entry) => entry.name,
      );
      expect(names).toContain('manage.py');
      expect(names).toContain('django/contrib/admin/static/admin/css/base.css');
      expect(names).toContainEqual(
        expect.stringMatching(/^psycopg2\/_psycopg\.cpython-311-.*\.so$/),
      );
      expect(names).toContain('lib/libpq.so.5');
      // Local-only settings (DJANGO_SERVE_STATIC) and package sources never reach Lambda.
      expect(names).not.toContain('.env');
      expect(names).not.toContain('pip.conf');
    });

    it("an unknown command exits non-zero with Django's message", async () => {
      const result = await lbuild(['manage', '--dir', dir, 'nosuchcommand']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("Unknown command: 'nosuchcommand'");
    }, 120_000);
  },
);
