/**
 * The Docker engine restarted under a running `lbuild serve` (Docker Desktop restarting itself,
 * `systemctl restart docker`): serve says the engine went away, and when it is back restarts the
 * database (rows kept) and replaces the workers, so the API answers again with nothing done by
 * hand. This restarts the machine's engine, so it runs alone, after the rest of the suite
 * (`bash scripts/dev.sh test` runs it with LBUILD_TEST_ENGINE_RESTART=1). Ports 4810-4815.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const restart = fileURLToPath(new URL('../../scripts/restart-docker.sh', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };
const apiPort = 4810;
const dbPort = 4815;
const enabled = process.env.LBUILD_TEST_ENGINE_RESTART === '1';

describe.skipIf(
  !enabled &&
    'restarts the Docker engine: set LBUILD_TEST_ENGINE_RESTART=1 (scripts/dev.sh test does, after the suite)',
)('the Docker engine restarted under lbuild serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-engine-restart-'));
  writeFileSync(
    join(dir, 'app.py'),
    'import os\n\ndef handler(event, context):\n    return {"pid": os.getpid()}\n',
  );
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      name: 'enginerestart',
      runtime: 'python3.11',
      api: { port: apiPort },
      database: { port: dbPort, password: 'lbuild' },
      functions: { api: { handler: 'app.handler', routes: ['$default'] } },
    }),
  );
  const psql = (sql: string) =>
    execa(
      'psql',
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(dbPort),
        '-U',
        'enginerestart',
        '-d',
        'enginerestart',
        '-tAc',
        sql,
      ],
      {
        env: { ...process.env, PGPASSWORD: 'lbuild' },
        reject: false,
      },
    );

  afterAll(async () => {
    await execa('node', [cli, 'down', dir, '--volumes'], { env, reject: false });
  });

  it(
    'serve says so, restarts the database with its rows and replaces the workers',
    { timeout: 240_000 },
    async () => {
      const serve = execa('node', [cli, 'serve', dir, '--no-watch'], { env, reject: false });
      let stderr = '';
      serve.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      try {
        await expect
          .poll(() => stderr, { timeout: 120_000, interval: 200 })
          .toContain('is running');
        const before = await request(`http://127.0.0.1:${apiPort}/`);
        expect(before.statusCode).toBe(200);
        await before.body.dump();
        expect(
          (await psql('CREATE TABLE kept (n int); INSERT INTO kept VALUES (1), (2);')).exitCode,
        ).toBe(0);

        const restarted = await execa('bash', [restart], { reject: false, all: true });
        expect(restarted.exitCode, restarted.all).toBe(0);

        await expect
          .poll(() => stderr, { timeout: 60_000, interval: 200 })
          .toContain('stopped answering');
        await expect
          .poll(() => stderr, { timeout: 120_000, interval: 200 })
          .toContain('✓ recovered from the engine restart');
        const after = await request(`http://127.0.0.1:${apiPort}/`);
        expect(after.statusCode, await after.body.text()).toBe(200);
        expect((await psql('SELECT count(*) FROM kept')).stdout.trim()).toBe('2');
      } finally {
        serve.kill('SIGINT');
        await serve;
      }
    },
  );
});
