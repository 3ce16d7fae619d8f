/**
 * `kill -9` at every stage of `lbuild package` and `lbuild serve`: a killed process cleans up
 * nothing, so the next command must. After each kill the next command runs and succeeds, and then
 * nothing of the killed process is left: no container, no code image, no Runtime API socket
 * folder, no half-written zip or cache entry (a zip is only ever replaced by a complete one), and
 * the database volume keeps its rows. Ports 4800-4806.
 */
import { execa, type ResultPromise } from 'execa';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerGate, requireDocker } from '../support/gates.js';

const gate = await dockerGate();
const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };
const apiPort = 4800;
const dbPort = 4805;

/** Start an lbuild command and SIGKILL it once its stderr shows `stage` (after `whenSeen`). */
async function killAt(
  args: string[],
  stage: string,
  whenSeen: (child: ResultPromise) => Promise<void> = async () => undefined,
): Promise<number> {
  const child = execa('node', [cli, ...args], { env, reject: false });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await expect.poll(() => stderr, { timeout: 90_000, interval: 50 }).toContain(stage);
  await whenSeen(child);
  child.kill('SIGKILL');
  const result = await child;
  expect(result.signal, stderr).toBe('SIGKILL');
  return child.pid!;
}

/** What a process left on the engine and in the temp folder, by its pid. */
async function leftBy(docker: Docker, pid: number) {
  const label = { label: [`dev.lbuild.pid=${pid}`] };
  const containers = await docker.listContainers({ all: true, filters: label });
  const images = await docker.listImages({ all: true, filters: label });
  const socketFolders = readdirSync(tmpdir()).filter((n) => n.startsWith(`lbuild-rapi-${pid}-`));
  return {
    containers: containers.map((c) => c.Names[0]),
    images: images.map((i) => i.Id),
    socketFolders,
  };
}

function partials(dir: string): string[] {
  const found: string[] = [];
  for (const folder of [join(dir, '.lbuild', 'dist'), join(dir, '.lbuild', 'cache', 'deps')])
    if (existsSync(folder))
      found.push(...readdirSync(folder).filter((n) => /\.(tmp|partial)-\d+$/.test(n)));
  return found;
}

async function zipIsWhole(zip: string): Promise<boolean> {
  if (!existsSync(zip)) return true;
  return (await execa('unzip', ['-tq', zip], { reject: false })).exitCode === 0;
}

async function writeRandomFile(path: string, megabytes: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < megabytes; i++)
    if (!out.write(randomBytes(1024 * 1024))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

describe.skipIf(gate.skipReason)('kill -9 during lbuild package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-kill-package-'));
  const zip = join(dir, '.lbuild', 'dist', 'killpkg.zip');
  let docker: Docker;

  beforeAll(async () => {
    docker = await requireDocker();
    mkdirSync(join(dir, 'slowpkg'));
    // A local package whose build sleeps as long as slowpkg/delay says: time to kill the install.
    writeFileSync(
      join(dir, 'slowpkg', 'setup.py'),
      'import time, pathlib\ntime.sleep(float(pathlib.Path(__file__).with_name("delay").read_text()))\nfrom setuptools import setup\nsetup(name="slowpkg", version="1.0")\n',
    );
    writeFileSync(join(dir, 'requirements.txt'), './slowpkg\n');
    writeFileSync(
      join(dir, 'app.py'),
      'import time\n\ndef handler(event, context):\n    return 1\n\ndef slow(event, context):\n    time.sleep(60)\n',
    );
    // Random bytes do not compress: writing the zip takes seconds, long enough to be killed in.
    await writeRandomFile(join(dir, 'blob.bin'), 40);
    writeFileSync(
      join(dir, 'lbuild.json'),
      JSON.stringify({
        name: 'killpkg',
        runtime: 'python3.11',
        functions: { fn: { handler: 'app.handler' } },
        package: { installArgs: ['--no-index', '--no-build-isolation'], exclude: ['slowpkg/'] },
      }),
    );
  }, 60_000);

  const delay = (seconds: number) => writeFileSync(join(dir, 'slowpkg', 'delay'), String(seconds));
  // The install is killed while slowpkg sleeps (a cache miss forced); the others run with no delay.
  const stages: Array<{ stage: string; args?: string[]; delaySeconds: number }> = [
    { stage: '▸ install', args: ['--no-cache'], delaySeconds: 60 },
    { stage: '▸ collect', delaySeconds: 0 },
    { stage: '▸ zip', delaySeconds: 0 },
  ];

  for (const { stage, args = [], delaySeconds } of stages) {
    it(
      `at "${stage}": the next package succeeds and finds nothing left behind`,
      { timeout: 180_000 },
      async () => {
        delay(delaySeconds);
        const killed = await killAt(['package', dir, ...args], stage);
        delay(0);
        expect(await zipIsWhole(zip), 'a zip under the real name is complete').toBe(true);
        const next = await execa('node', [cli, 'package', dir, '--no-audit'], {
          env,
          reject: false,
          all: true,
        });
        expect(next.exitCode, next.all).toBe(0);
        expect(await zipIsWhole(zip)).toBe(true);
        expect(partials(dir)).toEqual([]);
        expect(await leftBy(docker, killed)).toEqual({
          containers: [],
          images: [],
          socketFolders: [],
        });
      },
    );
  }

  it(
    'during an invocation of lbuild invoke: the next invoke answers and finds nothing left behind',
    { timeout: 180_000 },
    async () => {
      delay(0);
      const killed = await killAt(
        ['invoke', 'fn', '--dir', dir, '--handler', 'app.slow'],
        '▸',
        async (child) => {
          await expect
            .poll(
              async () =>
                (
                  await docker.listContainers({
                    filters: { label: [`dev.lbuild.pid=${child.pid!}`, 'dev.lbuild.role=worker'] },
                  })
                ).length,
              { timeout: 120_000, interval: 100 },
            )
            .toBe(1);
        },
      );
      const next = await execa('node', [cli, 'invoke', 'fn', '--dir', dir, '--json'], {
        env,
        reject: false,
        all: true,
      });
      expect(next.exitCode, next.all).toBe(0);
      expect(await leftBy(docker, killed)).toEqual({
        containers: [],
        images: [],
        socketFolders: [],
      });
      expect(partials(dir)).toEqual([]);
    },
  );
});

describe.skipIf(gate.skipReason)('kill -9 during lbuild serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-kill-serve-'));
  const psql = (sql: string) =>
    execa(
      'psql',
      ['-h', '127.0.0.1', '-p', String(dbPort), '-U', 'killserve', '-d', 'killserve', '-tAc', sql],
      {
        env: { ...process.env, PGPASSWORD: 'lbuild' },
        reject: false,
      },
    );
  let docker: Docker;

  beforeAll(async () => {
    docker = await requireDocker();
    writeFileSync(join(dir, 'app.py'), 'def handler(event, context):\n    return {"version": 1}\n');
    writeFileSync(
      join(dir, 'lbuild.json'),
      JSON.stringify({
        name: 'killserve',
        runtime: 'python3.11',
        api: { port: apiPort },
        database: { port: dbPort, password: 'lbuild' },
        functions: { api: { handler: 'app.handler', routes: ['$default'] } },
      }),
    );
    await execa('node', [cli, 'down', dir, '--volumes'], { env, reject: false });
  });

  afterAll(async () => {
    await execa('node', [cli, 'down', dir, '--volumes'], { env, reject: false });
  });

  const answers = async () => {
    const response = await request(`http://127.0.0.1:${apiPort}/`);
    return response.body.json();
  };
  /** The worker containers of the serve process with this pid. */
  const workers = async (pid: number) =>
    docker.listContainers({
      all: true,
      filters: { label: [`dev.lbuild.pid=${pid}`, 'dev.lbuild.role=worker'] },
    });

  const stages: Array<{
    name: string;
    stage: string;
    then?: (child: ResultPromise) => Promise<void>;
  }> = [
    { name: 'database start', stage: '▸ database' },
    { name: 'package', stage: '▸ package' },
    {
      name: 'worker start',
      stage: 'is running',
      then: async (child) => {
        void request(`http://127.0.0.1:${apiPort}/`).catch(() => undefined);
        await expect
          .poll(async () => (await workers(child.pid!)).length, { timeout: 30_000, interval: 50 })
          .toBe(1);
      },
    },
    {
      name: 'serving',
      stage: 'is running',
      then: async () => {
        expect(await answers()).toEqual({ version: 1 });
        // Rows written while it serves must outlive the kill.
        const made = await psql(
          'CREATE TABLE IF NOT EXISTS kept (n int); INSERT INTO kept VALUES (1), (2), (3);',
        );
        expect(made.exitCode, made.stderr).toBe(0);
      },
    },
    {
      name: 'hot reload',
      stage: 'is running',
      then: async () => {
        expect(await answers()).toMatchObject({ version: expect.any(Number) });
        writeFileSync(
          join(dir, 'app.py'),
          'def handler(event, context):\n    return {"version": 2}\n',
        );
        await new Promise((resolve) => setTimeout(resolve, 150));
      },
    },
  ];

  for (const { name, stage, then } of stages) {
    it(
      `at ${name}: the next serve comes up clean, answers, and the rows are kept`,
      { timeout: 180_000 },
      async () => {
        const killed = await killAt(['serve', dir], stage, then);
        const next = await execa('node', [cli, 'serve', dir, '--detach'], {
          env,
          reject: false,
          all: true,
        });
        expect(next.exitCode, next.all).toBe(0);
        try {
          expect(await answers()).toMatchObject({ version: expect.any(Number) });
          expect(await leftBy(docker, killed)).toEqual({
            containers: [],
            images: [],
            socketFolders: [],
          });
          expect(partials(dir)).toEqual([]);
          if (name !== 'database start' && name !== 'package' && name !== 'worker start')
            expect((await psql('SELECT count(*) FROM kept')).stdout.trim()).toBe('3');
        } finally {
          const down = await execa('node', [cli, 'down', dir], { env, reject: false, all: true });
          expect(down.exitCode, down.all).toBe(0);
        }
      },
    );
  }

  it('the database volume survived every kill and every down without --volumes', async () => {
    const volumes = await docker.listVolumes({ filters: { name: ['lbuild-killserve_pgdata'] } });
    expect(volumes.Volumes?.map((v) => v.Name)).toEqual(['lbuild-killserve_pgdata']);
  });
});
