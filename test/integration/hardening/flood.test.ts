/**
 * Floods against the API Gateway front of a function with concurrency 4 (real process workers):
 * 1,000 connections at once, then slow clients (slowloris). Every request gets exactly one answer,
 * its own (200), or a refusal API Gateway would give (429 throttled, 503); nothing is lost or
 * answered twice, memory stays bounded, and slow clients are cut off at the header deadline
 * (src/http/server.ts) while good requests go on being served.
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../../src/emulator/apigw/server.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { defaultServerTimeouts } from '../../../src/http/server.js';
import { fixturesDir } from '../../support/fixtures.js';
import { rawRequest } from '../../support/raw-http.js';
import { fnDef } from '../../unit/emulator/helpers.js';

let emulator: Emulator;
let gateway: RunningGateway;

beforeAll(async () => {
  emulator = await startEmulator({
    codeDir: join(fixturesDir, 'hardening'),
    functions: [fnDef('slow', 'index.slow', { runtimeName: 'nodejs20.x', concurrency: 4 })],
  });
  gateway = await startGateway({
    invoker: emulator.invoker,
    port: 0,
    functions: [{ name: 'slow', routes: ['$default'], payloadVersion: '2.0' }],
  });
});

afterAll(async () => {
  await gateway?.close();
  await emulator?.close();
});

/** Peak resident memory while `work` runs, sampled every 20 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const result = await work();
    return { result, peakMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(sampler);
  }
}

async function flood(connections: number) {
  return Promise.all(
    Array.from({ length: connections }, (_, i) =>
      rawRequest(gateway.port, `GET /flood/${i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, {
        waitMs: 30_000,
      }).then((answer) => ({ i, ...answer })),
    ),
  );
}

describe('1,000 connections at once against a function with concurrency 4', () => {
  it(
    'each gets exactly one answer: 200 with its own body, or 429; memory stays bounded',
    { timeout: 120_000 },
    async () => {
      const before = Math.round(process.memoryUsage.rss() / 1024 / 1024);
      const { result: answers, peakMb } = await peakRss(() => flood(1000));
      const byStatus = new Map<number | string, number>();
      for (const answer of answers) {
        const key =
          answer.statuses.length === 1 ? answer.statuses[0]! : `${answer.statuses.length} answers`;
        byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
        expect(answer.statuses, `request ${answer.i}: ${answer.error ?? ''}`).toHaveLength(1);
        expect([200, 429, 503], `request ${answer.i}`).toContain(answer.statuses[0]);
        if (answer.statuses[0] === 200) expect(answer.bytes.toString()).toMatch(/\r\n\r\nslow$/);
      }
      console.log(
        `flood of 1000: ${[...byStatus].map(([s, n]) => `${s}×${n}`).join(' ')}; rss ${before} MB before, peak ${peakMb} MB`,
      );
      // The four workers run while the queue (100) holds the rest: at least that many are served.
      expect(byStatus.get(200) ?? 0).toBeGreaterThanOrEqual(104);
      expect(peakMb - before).toBeLessThan(300);

      // A second flood does not grow memory again: nothing is kept per request.
      const { peakMb: secondPeak } = await peakRss(() => flood(1000));
      console.log(`second flood: peak ${secondPeak} MB`);
      expect(secondPeak - peakMb).toBeLessThan(100);
      expect(
        await emulator.invoker.invoke({ functionName: 'slow', payload: Buffer.from('{}') }),
      ).toMatchObject({
        kind: 'succeeded',
      });
    },
  );
});

describe('slow clients (slowloris)', () => {
  it(
    `are cut off at the ${defaultServerTimeouts.headersMs / 1000} s header deadline while good requests are served`,
    { timeout: 60_000 },
    async () => {
      const slow: Socket[] = [];
      const closedAt: number[] = [];
      const started = Date.now();
      for (let i = 0; i < 200; i++) {
        const socket = connect({ host: '127.0.0.1', port: gateway.port });
        socket.on('error', () => undefined);
        socket.on('close', () => closedAt.push(Date.now() - started));
        socket.write(`GET /slow/${i} HTTP/1.1\r\nHost: x\r\n`);
        slow.push(socket);
      }
      // One header byte a second: each connection stays "active" without ever finishing its head.
      const drip = setInterval(() => {
        for (const socket of slow) if (!socket.destroyed) socket.write('X');
      }, 1000);
      try {
        for (let round = 0; round < 3; round++) {
          const t0 = performance.now();
          const response = await request(`${gateway.url}/good/${round}`);
          expect(response.statusCode).toBe(200);
          await response.body.dump();
          expect(performance.now() - t0).toBeLessThan(2000);
        }
        const deadline = defaultServerTimeouts.headersMs + 5000;
        while (closedAt.length < slow.length && Date.now() - started < deadline + 2000)
          await new Promise((resolve) => setTimeout(resolve, 200));
        console.log(
          `slowloris: ${closedAt.length}/200 cut off, the last after ${Math.max(...closedAt)} ms`,
        );
        expect(closedAt).toHaveLength(200);
        expect(Math.max(...closedAt)).toBeLessThan(deadline);
        expect(Math.min(...closedAt)).toBeGreaterThanOrEqual(defaultServerTimeouts.headersMs - 500);
      } finally {
        clearInterval(drip);
        for (const socket of slow) socket.destroy();
      }
      const after = await rawRequest(
        gateway.port,
        'GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      );
      expect(after.statuses).toEqual([200]);
    },
  );
});
