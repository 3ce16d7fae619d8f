/**
 * `lbuild manage` and the `wsgi:` adapter with real Django (3.2, Debian bookworm's, as wheels from
 * scripts/debian-wheels.mjs: no PyPI here) in the zip, as on Lambda where the run image has none.
 * Against a served stack's Postgres: `migrate` applies the app's schema and data migrations (psql
 * sees the table), the wsgi: handler serves the migrated rows through the API Gateway front, and an
 * unknown command exits non-zero with Django's own message.
 */
import { execa } from 'execa';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeComposeProject } from '../support/docker.js';
import { copyFixture } from '../support/fixtures.js';
import { debianWheelsGate, dockerGate, requireDocker } from '../support/gates.js';

const gate = await dockerGate();
const wheels = await debianWheelsGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };
// Ports of their own (3900-3999), so this file runs beside the other serve tests.
const dbPort = 3980;
const apiPort = 3981;

/** Django, what it needs, and psycopg2, for python3.11 (bookworm). */
const distributions = ['django', 'asgiref', 'typing_extensions', 'sqlparse', 'pytz', 'psycopg2'];

function lbuild(args: string[]) {
  return execa('node', [cli, ...args], { env, reject: false });
}

describe.skipIf(gate.skipReason ?? wheels.skipReason)('lbuild manage with Django', () => {
  const dir = copyFixture('django-shop');

  beforeAll(async () => {
    // The wheels go in as files requirements.txt names, so pip needs no index and no find-links.
    const { folder, wheels: names } = await wheels.ensureWheels!('bookworm');
    mkdirSync(join(dir, 'wheels'));
    const lines = distributions.map((name) => {
      const wheel = names.find((w) => w.toLowerCase().startsWith(`${name}-`));
      if (!wheel) throw new Error(`no ${name} wheel in ${folder}`);
      copyFileSync(join(folder, wheel), join(dir, 'wheels', wheel));
      return `./wheels/${wheel}`;
    });
    writeFileSync(join(dir, 'requirements.txt'), `${lines.join('\n')}\n`);
    const config = { name: 'django-shop', api: { port: apiPort }, database: { port: dbPort } };
    const base = JSON.parse(readFileSync(join(dir, 'lbuild.json'), 'utf8')) as object;
    writeFileSync(join(dir, 'lbuild.json'), JSON.stringify({ ...base, ...config }));
  });

  afterAll(async () => {
    await lbuild(['down', dir, '--volumes']);
    await removeComposeProject(await requireDocker(), 'lbuild-django-shop');
  });

  it("migrates the served stack's Postgres; the wsgi: handler serves the migrated rows", async () => {
    const served = await lbuild(['serve', dir, '--detach', '--no-watch']);
    expect(served.exitCode, served.stderr).toBe(0);

    const migrate = await lbuild(['manage', '--dir', dir, 'migrate', '--noinput']);
    expect(migrate.exitCode, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('Applying contenttypes.0001_initial... OK');
    expect(migrate.stdout).toContain('Applying shop.0001_initial... OK');
    expect(migrate.stdout).toContain('Applying shop.0002_teapot... OK');
    const tables = await execa(
      'psql',
      ['-h', '127.0.0.1', '-p', String(dbPort), '-U', 'django_shop', '-tAc', '\\dt', 'django_shop'],
      { env: { ...process.env, PGPASSWORD: 'lbuild-local' }, reject: false },
    );
    expect(tables.stdout, tables.stderr).toContain('shop_item');

    const response = await request(`http://127.0.0.1:${apiPort}/items/`);
    const body = await response.body.text();
    expect(response.statusCode, body).toBe(200);
    expect(JSON.parse(body)).toEqual({
      items: ['teapot'],
      settings: 'mysite.settings',
      path: '/items/',
    });

    // Applied once: a second run has nothing to do.
    const again = await lbuild(['manage', '--dir', dir, 'migrate']);
    expect(again.stdout).toContain('No migrations to apply.');
  });

  it("an unknown command exits non-zero with Django's message", async () => {
    const result = await lbuild(['manage', '--dir', dir, 'nosuchcommand']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Unknown command: 'nosuchcommand'");
  });
});
