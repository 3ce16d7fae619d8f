/**
 * Timeouts nobody misses: a timed-out `lbuild invoke` or database.init says in one line what timed
 * out, after how long and which key of lbuild.json raises it; an invocation that used more than
 * 80% of its timeout warns with the numbers in serve's Lambda-style log and in invoke's output,
 * and one at 50% does not. Handlers sleep as long as they are told, against a 3 s timeout.
 */
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { removeComposeProject } from '../support/docker.js';
import { dockerGate, requireDocker } from '../support/gates.js';

const gate = await dockerGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };

/** database.init is `migrate`, sleeping initSleep s; `jobs` sleeps what its event says. Ports 39xx. */
function project(name: string, ports: { db: number; api: number }, initSleep: number): string {
  const dir = mkdtempSync(join(tmpdir(), `lbuild-${name}-`));
  writeFileSync(
    join(dir, 'jobs.py'),
    'import os, time\n\ndef init(event, context):\n    time.sleep(float(os.environ["SLEEP"]))\n    return "migrated"\n\ndef handler(event, context):\n    time.sleep(float(event["sleep"]))\n    return {"slept": event["sleep"]}\n',
  );
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      name,
      runtime: 'python3.11',
      functions: {
        migrate: { handler: 'jobs.init', timeout: 3, environment: { SLEEP: String(initSleep) } },
        jobs: { handler: 'jobs.handler', timeout: 3, routes: ['$default'] },
      },
      database: { port: ports.db, init: 'migrate' },
      api: { port: ports.api },
    }),
  );
  return dir;
}

describe.skipIf(gate.skipReason)('timeouts', () => {
  const running: ResultPromise[] = [];
  afterAll(async () => {
    for (const serve of running) serve.kill('SIGINT');
    await Promise.allSettled(running);
    const docker = await requireDocker();
    for (const name of ['lbuild-nearinit', 'lbuild-slowinit'])
      await removeComposeProject(docker, name);
  });

  it('database.init past its timeout: serve fails with one line naming the key', async () => {
    const dir = project('slowinit', { db: 3973, api: 3974 }, 10);
    const result = await execa('node', [cli, 'serve', dir, '--no-watch'], { env, reject: false });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^error: database\.init \(migrate\) timed out after 3 s: raise functions\.migrate\.timeout in lbuild\.json$/m,
    );
  });

  it('warns about an init at 85%, and an invocation at 85% (serve log and invoke output), not at 50%; a timed-out invoke says its key', async () => {
    const dir = project('nearinit', { db: 3970, api: 3971 }, 2.55);
    const serve = execa('node', [cli, 'serve', dir, '--no-watch'], { env, reject: false });
    running.push(serve);
    let log = '';
    serve.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await expect.poll(() => log, { timeout: 100_000, interval: 250 }).toContain('is running');
    expect(log).toMatch(
      /warning: database\.init: migrate used 2\.\d\d s of its 3 s timeout \(8\d%\): raise functions\.migrate\.timeout in lbuild\.json before it times out/,
    );

    const invoke = (sleep: number, ...flags: string[]) =>
      execa(
        'node',
        [cli, 'invoke', 'jobs', '--dir', dir, '--payload', `{"sleep": ${sleep}}`, ...flags],
        {
          env,
          reject: false,
        },
      );
    const near = await invoke(2.55);
    expect(near.exitCode, near.stderr).toBe(0);
    const warning =
      /WARN: jobs used 2\.\d\d s of its 3 s timeout \(8\d%\): raise functions\.jobs\.timeout in lbuild\.json before it times out/;
    expect(near.stderr).toMatch(warning);
    await expect.poll(() => log).toMatch(new RegExp(`\\[jobs +\\] ${warning.source}`));

    const half = await invoke(1.5);
    expect(half.exitCode, half.stderr).toBe(0);
    expect(half.stderr).toContain('"slept": 1.5');
    expect(half.stderr).not.toContain('WARN');

    const late = await invoke(6, '--json');
    expect(late.exitCode).toBe(1);
    // One line, ending there: how long, and where to raise it.
    expect(late.stderr).toMatch(
      /^✗ jobs timed out after 3 s: raise functions\.jobs\.timeout in lbuild\.json$/m,
    );
    expect(JSON.parse(late.stdout)).toMatchObject({
      errorType: 'Sandbox.Timedout',
      timedOut: { seconds: 3, key: 'functions.jobs.timeout' },
    });
  }, 240_000);
});
