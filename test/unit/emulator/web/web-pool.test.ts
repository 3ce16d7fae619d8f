/**
 * Where a web function's requests go, with stand-in environments (the container side is covered by
 * test/integration/serve/web-functions.test.ts): packing up to maxConcurrencyPerEnvironment, a new
 * environment past it, throttling at maxEnvironments, a broken connection, reload, idle stop.
 */
import { describe, expect, it } from 'vitest';
import type { ResolvedFunction } from '../../../../src/config/resolved-project.js';
import type { WebEnvironment } from '../../../../src/emulator/web/web-environment.js';
import { WebFunctionPool, type Lease } from '../../../../src/emulator/web/web-pool.js';

class StandIn {
  static count = 0;
  readonly instance = `env-${++StandIn.count}`;
  state: WebEnvironment['state'] = 'ready';
  inFlight = 0;
  readonly requestIds = new Set<string>();
  readonly ready = Promise.resolve();
  readonly exited = new Promise<void>(() => {});
  stopped = false;
  drain() {
    this.state = 'draining';
  }
  async stop() {
    this.stopped = true;
    this.state = 'gone';
  }
}

function pool(options: { perEnv?: number; maxEnvs?: number; idleMs?: number } = {}) {
  const created: StandIn[] = [];
  const fn = {
    name: 'site',
    web: {
      entryPoint: 'index.js',
      entryPointSet: false,
      maxConcurrencyPerEnvironment: options.perEnv ?? 2,
      maxEnvironments: options.maxEnvs ?? 2,
      port: 0,
    },
  } as ResolvedFunction;
  const webPool = new WebFunctionPool({
    fn,
    create: () => {
      const env = new StandIn();
      created.push(env);
      return env as unknown as WebEnvironment;
    },
    ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
  });
  return { webPool, created };
}

const envOf = (lease: Lease) =>
  'env' in lease ? lease.env.instance : `answer ${lease.answer.status}`;

describe('web function pool', () => {
  it('packs requests into one environment, opens another past the limit, then throttles', async () => {
    const { webPool } = pool({ perEnv: 2, maxEnvs: 2 });
    const leases = await Promise.all([1, 2, 3, 4, 5].map((i) => webPool.acquire(`r${i}`)));
    const where = leases.map(envOf);
    expect(where[0]).toBe(where[1]);
    expect(where[2]).toBe(where[3]);
    expect(where[2]).not.toBe(where[0]);
    expect(where[4]).toBe('answer 429');
  });

  it('a released slot is reused before any new environment', async () => {
    const { webPool, created } = pool({ perEnv: 1 });
    const first = await webPool.acquire('a');
    if ('env' in first) first.release();
    await webPool.acquire('b');
    expect(created).toHaveLength(1);
  });

  it('a broken connection takes the environment out of routing at once', async () => {
    const { webPool, created } = pool();
    const lease = await webPool.acquire('a');
    if ('env' in lease) lease.release(true);
    expect(created[0]!.stopped).toBe(true);
    const next = await webPool.acquire('b');
    expect(envOf(next)).toBe(created[1]!.instance);
  });

  it('reload stops idle environments now and busy ones after their last request', async () => {
    const { webPool, created } = pool({ perEnv: 1 });
    const busy = await webPool.acquire('a');
    await webPool.acquire('b').then((l) => 'env' in l && l.release());
    webPool.reload();
    expect(created.map((e) => e.stopped)).toEqual([false, true]);
    const fresh = await webPool.acquire('c');
    expect(envOf(fresh)).toBe(created[2]!.instance);
    if ('env' in busy) busy.release();
    expect(created[0]!.stopped).toBe(true);
  });

  it('stops an environment left idle, and a closed pool answers 503', async () => {
    const { webPool, created } = pool({ idleMs: 20 });
    await webPool.acquire('a').then((l) => 'env' in l && l.release());
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(created[0]!.stopped).toBe(true);
    await webPool.close();
    expect(envOf(await webPool.acquire('b'))).toBe('answer 503');
  });
});
