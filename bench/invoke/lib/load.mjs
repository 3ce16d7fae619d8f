// A small closed-loop load generator: `concurrency` loops over an undici Pool with as many
// connections, each request timed with process.hrtime.bigint() (sub-millisecond resolution, unlike
// autocannon's whole milliseconds). Always bounded: by a duration and by a request count.
import { Pool } from 'undici';

/** @typedef {(res: {statusCode: number, body: string}) => boolean} ResponseCheck */

/**
 * @param {object} o
 * @param {string} o.url  full URL (origin + path)
 * @param {'GET'|'POST'} [o.method]
 * @param {string} [o.body]
 * @param {Record<string,string>} [o.headers]
 * @param {number} o.concurrency
 * @param {number} o.durationMs
 * @param {number} [o.maxRequests]
 * @param {number} [o.warmupRequests] requests per loop before timing starts (not counted)
 * @param {ResponseCheck} [o.check] validates one response per loop
 */
export async function runLoad(o) {
  const url = new URL(o.url);
  const maxRequests = o.maxRequests ?? 2_000_000;
  const pool = new Pool(url.origin, {
    connections: o.concurrency,
    pipelining: 1,
    keepAliveTimeout: 60_000,
  });
  const request = {
    path: url.pathname + url.search,
    method: o.method ?? 'GET',
    headers: o.headers ?? {},
    ...(o.body !== undefined ? { body: o.body } : {}),
  };
  const latencies = new Float64Array(maxRequests); // microseconds
  /** @type {number[]} requests completed in each second of the run (sparse until the end) */
  const perSecond = [];
  let count = 0;
  let errors = 0;
  /** @type {Error | undefined} */
  let firstError;

  /** @param {ResponseCheck} [check] */
  const once = async (check) => {
    const res = await pool.request(request);
    if (check) {
      const body = await res.body.text();
      if (!check({ statusCode: res.statusCode, body }))
        throw new Error(`unexpected response ${res.statusCode}: ${body.slice(0, 200)}`);
      return true;
    }
    await res.body.dump();
    return res.statusCode === 200;
  };

  // Warm-up (also validates the answer once per connection).
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      for (let i = 0; i < (o.warmupRequests ?? 20); i++)
        await once(i === 0 ? (o.check ?? ((r) => r.statusCode === 200)) : undefined);
    }),
  );

  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(o.durationMs * 1e6));
  const loop = async () => {
    for (;;) {
      const t0 = process.hrtime.bigint();
      if (t0 >= end || count >= maxRequests) return;
      let ok = false;
      try {
        ok = await once();
      } catch (error) {
        firstError ??= /** @type {Error} */ (error);
      }
      const t1 = process.hrtime.bigint();
      if (!ok) {
        errors++;
        continue;
      }
      if (count < maxRequests) latencies[count++] = Number(t1 - t0) / 1000;
      const second = Number((t1 - start) / 1_000_000_000n);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, loop));
  const elapsedS = Number(process.hrtime.bigint() - start) / 1e9;
  await pool.close();

  const sorted = latencies.subarray(0, count).sort();
  /** @param {number} p */
  const pct = (p) =>
    count === 0
      ? NaN
      : /** @type {number} */ (sorted[Math.min(count - 1, Math.floor((p / 100) * count))]);
  return {
    count,
    errors,
    firstError: firstError ? String(firstError.message ?? firstError) : undefined,
    elapsedS,
    rps: count / elapsedS,
    p50us: pct(50),
    p99us: pct(99),
    perSecond: Array.from({ length: Math.ceil(elapsedS) }, (_, i) => perSecond[i] ?? 0),
  };
}

/**
 * One request, timed: for cold starts.
 * @param {string} url
 * @param {{ method?: 'GET'|'POST', body?: string, headers?: Record<string,string> }} [options]
 */
export async function timedRequest(url, options = {}) {
  const { request } = await import('undici');
  const t0 = process.hrtime.bigint();
  const res = await request(url, {
    method: options.method ?? 'GET',
    ...(options.body !== undefined ? { body: options.body } : {}),
    headers: options.headers ?? {},
  });
  const body = await res.body.text();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { statusCode: res.statusCode, body, ms };
}
