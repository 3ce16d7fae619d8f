/**
 * `lbuild manage <command>` as a user runs it (like `zappa manage`), on the django-fake fixture (a
 * package named `django` with Django's entry points: no PyPI here). The command runs in the
 * function's sandbox: the zip's code read-only in /var/task, uid 993, the function's environment
 * with django.settingsModule; its output, exit status and timeout are the user's to see. With a
 * stack running, `migrate` reaches the stack's Postgres and creates a table psql then finds.
 */
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lbuildContainers, removeComposeProject } from '../support/docker.js';
import { copyFixture } from '../support/fixtures.js';
import { dockerGate, requireDocker } from '../support/gates.js';

const gate = await dockerGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };
// Ports of their own (3900-3999), so this file runs beside the other serve tests.
const dbPort = 3960;
const apiPort = 3961;

function lbuild(args: string[]) {
  return execa('node', [cli, ...args], { env, reject: false });
}

interface Facts {
  settings: string;
  prog: string;
  args: string[];
  uid: number;
  cwd: string;
  taskWritable: boolean;
  function: string;
  runtimeApi: string | null;
  databaseUrl: string | null;
}

describe.skipIf(gate.skipReason)('lbuild manage', () => {
  const dir = copyFixture('django-fake');
  const manage = (...args: string[]) => lbuild(['manage', '--dir', dir, ...args]);

  afterAll(async () => {
    await lbuild(['down', dir, '--volumes']);
    await removeComposeProject(await requireDocker(), 'lbuild-django-fake');
  });

  it("runs `python -m django <command>` in the wsgi: function's sandbox; its stdout is lbuild's", async () => {
    const result = await manage('facts', '--deploy', '--tag', 'x');
    expect(result.exitCode, result.stderr).toBe(0);
    const facts = JSON.parse(result.stdout) as Facts;
    expect(facts).toMatchObject({
      settings: 'mysite.settings', // django.settingsModule in lbuild.json
      prog: 'python -m django',
      args: ['--deploy', '--tag', 'x'], // options after the command are the command's
      uid: 993,
      cwd: '/var/task',
      taskWritable: false,
      function: 'web', // the function with the wsgi: handler, of two
      runtimeApi: null,
      databaseUrl: null, // no stack running
    });
    expect(result.stderr).toMatch(/✓ manage facts \(function web, a fresh container\)/);
  });

  it('--json prints the result on stdout and the command output on stderr; --function picks', async () => {
    const result = await manage('--json', '--function', 'jobs', 'facts');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      functionName: 'jobs',
      command: ['facts'],
      argv: ['python3', '-m', 'django', 'facts'],
      settingsModule: 'mysite.settings',
      via: 'container',
      exitCode: 0,
      timeoutSeconds: 900,
    });
    expect(result.stderr).toContain('"function": "jobs"');
  });

  it("passes the command's exit status through, with Django's message for an unknown command", async () => {
    const unknown = await manage('nosuchcommand');
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("Unknown command: 'nosuchcommand'");
    expect(unknown.stderr).toContain('✗ manage nosuchcommand exited with status 1');
    expect(unknown.stderr).not.toContain('✓ manage');
    expect((await manage('fail', '3')).exitCode).toBe(3);
  });

  it('stops a command at its timeout with one line naming the key and the flag, leaving nothing', async () => {
    const child = execa('node', [cli, 'manage', '--dir', dir, '--timeout', '2', 'sleep', '60'], {
      env,
      reject: false,
    });
    let printedAt: number | undefined;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('sleeping 60')) printedAt ??= performance.now();
    });
    const result = await child;
    const endedAt = performance.now();
    expect(result.exitCode).toBe(1);
    // Streamed as it came: seen while the command still ran, not when it ended.
    expect(printedAt).toBeDefined();
    expect(endedAt - printedAt!).toBeGreaterThan(1000);
    expect(result.stderr).toContain(
      'error: lbuild manage sleep timed out after 2 s: raise django.manageTimeout in lbuild.json or pass --timeout <seconds>',
    );
    expect(await lbuildContainers(await requireDocker(), child.pid)).toEqual([]);
  });

  it('Ctrl-C stops the command and removes its container and code image', async () => {
    const docker = await requireDocker();
    const child = execa('node', [cli, 'manage', '--dir', dir, 'sleep', '60'], {
      env,
      reject: false,
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => output, { timeout: 60_000, interval: 200 }).toContain('sleeping 60');
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain("SIGINT: stopping and removing lbuild's containers");
    // Not the status of the container the cleanup removed (137), whichever ends first.
    expect(result.stderr).not.toContain('exited with status');
    expect(await lbuildContainers(docker, child.pid)).toEqual([]);
    const images = await docker.listImages({ filters: { label: [`dev.lbuild.pid=${child.pid}`] } });
    expect(images).toEqual([]);
  });

  it('runs manage.py when the package has one (the project sets its own settings there)', async () => {
    const withManagePy = copyFixture('django-fake');
    const config = JSON.parse(readFileSync(join(withManagePy, 'lbuild.json'), 'utf8'));
    delete config.django;
    writeFileSync(join(withManagePy, 'lbuild.json'), JSON.stringify(config));
    const withoutSettings = await lbuild(['manage', '--dir', withManagePy, 'facts']);
    expect(withoutSettings.exitCode).toBe(1);
    expect(withoutSettings.stderr).toContain(
      'error: no Django settings module for function web, and the package has no manage.py',
    );
    expect(withoutSettings.stderr).toContain('"django": { "settingsModule": "mysite.settings" }');

    writeFileSync(
      join(withManagePy, 'manage.py'),
      'import os, sys\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n',
    );
    const result = await lbuild(['manage', '--dir', withManagePy, 'facts']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      prog: 'manage.py',
      settings: 'mysite.settings',
    });
  });

  it("with `lbuild serve --detach` running, migrates the stack's Postgres through its DATABASE_URL", async () => {
    const config = JSON.parse(readFileSync(join(dir, 'lbuild.json'), 'utf8'));
    writeFileSync(
      join(dir, 'lbuild.json'),
      JSON.stringify({ ...config, api: { port: apiPort }, database: { port: dbPort } }),
    );
    const served = await lbuild(['serve', dir, '--detach', '--no-watch']);
    expect(served.exitCode, served.stderr).toBe(0);

    const migrate = await manage('migrate');
    expect(migrate.exitCode, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('  Applying shop.0001_initial... OK');
    expect(migrate.stderr).toContain("the running stack's lbuild-django-fake_default");
    const tables = await execa(
      'psql',
      ['-h', '127.0.0.1', '-p', String(dbPort), '-U', 'django_fake', '-tAc', '\\dt', 'django_fake'],
      { env: { ...process.env, PGPASSWORD: 'lbuild-local' }, reject: false },
    );
    expect(tables.stdout, tables.stderr).toContain('shop_item');

    // Without LBUILD_IMAGE_SOURCE in its own environment, manage takes the stack's image source
    // (the offline stand-ins here), as a second terminal would need.
    const { LBUILD_IMAGE_SOURCE: _source, ...withoutSource } = env;
    const joined = await execa('node', [cli, 'manage', '--dir', dir, 'facts'], {
      env: withoutSource,
      extendEnv: false,
      reject: false,
    });
    expect(joined.exitCode, joined.stderr).toBe(0);
    const facts = JSON.parse(joined.stdout) as Facts;
    expect(facts.databaseUrl).toBe('postgresql://django_fake:lbuild-local@db:5432/django_fake');
    // --fresh leaves the stack out.
    expect((JSON.parse((await manage('--fresh', 'facts')).stdout) as Facts).databaseUrl).toBeNull();
  });
});
