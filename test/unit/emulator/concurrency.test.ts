/**
 * 200 simultaneous invocations against a function limited to 2 concurrent workers and a queue of
 * 20: every request gets exactly one answer (200 or 429), none is lost, the limit holds.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { fnDef, pythonFixtures } from './helpers.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({
    codeDir: pythonFixtures,
    functions: [fnDef('slow', 'handlers.sleepy', { concurrency: 2 })],
    queueSize: 20,
  });
});
afterAll(async () => emu?.close());

test('200 concurrent requests, concurrency 2, queue 20: all answered, counted, limit respected', async () => {
  let peak = 0;
  const sampler = setInterval(() => {
    const stats = emu.invoker.stats('slow')!;
    peak = Math.max(peak, stats.busy + stats.starting + stats.idle);
  }, 2);
  const responses = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      fetch(`${emu.invokeUrl}/2015-03-31/functions/slow/invocations`, {
        method: 'POST',
        body: JSON.stringify({ seconds: 0.02, i }),
      }).then(async (response) => ({
        status: response.status,
        errorType: response.headers.get('x-amzn-errortype'),
        body: await response.text(),
      })),
    ),
  );
  clearInterval(sampler);
  const ok = responses.filter((r) => r.status === 200);
  const throttled = responses.filter((r) => r.status === 429);
  expect(ok.length + throttled.length).toBe(200);
  expect(ok.every((r) => r.body === '"slept"')).toBe(true);
  expect(
    throttled.every(
      (r) => r.errorType === 'TooManyRequestsException' && JSON.parse(r.body).Type === 'User',
    ),
  ).toBe(true);
  // At least the two running plus the twenty queued succeed; the rest may be throttled.
  expect(ok.length).toBeGreaterThanOrEqual(22);
  expect(throttled.length).toBeGreaterThan(0);
  expect(peak).toBeLessThanOrEqual(2);
  console.log(
    `200 requests: ${ok.length} succeeded, ${throttled.length} throttled, peak workers ${peak}`,
  );
  // After the burst the pool is quiet: nothing queued, nothing busy.
  expect(emu.invoker.stats('slow')).toMatchObject({ busy: 0, starting: 0, queued: 0 });
});
