/**
 * The four HTTP servers of a running stack against generated hostile requests (fast-check): the API
 * Gateway front, the Invoke API, the static host and a worker's Runtime API, each with real process
 * workers behind it. Every answer must be HTTP (a 4xx/5xx where HTTP says the request is bad) or a
 * closed connection; the server must stay up and serve the next good request, and no worker may be
 * left stuck. Bounded: a fixed seed and count per server, loopback only.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../../src/emulator/apigw/server.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { RuntimeApiServer } from '../../../src/emulator/runtime-api/server.js';
import { startStaticServer, type StaticServer } from '../../../src/serve/static/server.js';
import { fixturesDir } from '../../support/fixtures.js';
import {
  deeplyNestedJson,
  hostileRequest,
  postOfSize,
  type FuzzCase,
} from '../../support/http-fuzz.js';
import { rawRequest, type RawTarget } from '../../support/raw-http.js';
import { fnDef } from '../../unit/emulator/helpers.js';

const casesPerServer = 120;
const seed = 20261206;

let emulator: Emulator;
let gateway: RunningGateway;
let site: StaticServer;
let siteDir: string;
/** Answers by status (0: closed with no answer), per server: the figures for the note. */
const tally = new Map<string, Map<number, number>>();

beforeAll(async () => {
  emulator = await startEmulator({
    codeDir: join(fixturesDir, 'hardening'),
    functions: [
      fnDef('echo', 'index.echo', { runtimeName: 'nodejs20.x', concurrency: 2 }),
      fnDef('twice', 'index.answerTwice', { runtimeName: 'nodejs20.x', concurrency: 1 }),
    ],
  });
  gateway = await startGateway({
    invoker: emulator.invoker,
    port: 0,
    functions: [{ name: 'echo', routes: ['$default'], payloadVersion: '2.0' }],
  });
  siteDir = mkdtempSync(join(tmpdir(), 'lbuild-fuzz-site-'));
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>ok</title>');
  site = await startStaticServer({ root: siteDir, host: '127.0.0.1', port: 0, spa: true });
});

afterAll(async () => {
  await gateway?.close();
  await site?.close();
  await emulator?.close();
  if (siteDir) rmSync(siteDir, { recursive: true, force: true });
  const rows = [...tally].map(([server, counts]) => {
    const byStatus = [...counts].sort(([a], [b]) => a - b).map(([s, n]) => `${s || 'closed'}×${n}`);
    return `${server}: ${byStatus.join(' ')}`;
  });
  console.log(`fuzz answers by status\n${rows.join('\n')}`);
});

function count(server: string, statuses: number[]): void {
  const counts = tally.get(server) ?? new Map<number, number>();
  for (const status of statuses.length > 0 ? statuses : [0])
    counts.set(status, (counts.get(status) ?? 0) + 1);
  tally.set(server, counts);
}

/** Send one case; its answer must be HTTP or a close, and a refusal where HTTP requires one. */
async function judge(server: string, target: RawTarget, fuzz: FuzzCase): Promise<void> {
  // Like a real client: the connection stays open for the answer (no half-close), which ends
  // the wait once one whole response has arrived; a server that neither answers nor closes fails.
  const answer = await rawRequest(target, fuzz.bytes, { waitMs: 3000, responses: 1 });
  count(server, answer.statuses);
  const what = `${server}, ${fuzz.family}: ${JSON.stringify(fuzz.bytes.subarray(0, 120).toString('latin1'))}`;
  expect(answer.closed || answer.statuses.length > 0, `${what} left the connection hanging`).toBe(
    true,
  );
  if (answer.bytes.length > 0) {
    expect(answer.statuses.length, `${what} answered something that is not HTTP`).toBeGreaterThan(
      0,
    );
    for (const status of answer.statuses) {
      expect(status, what).toBeGreaterThanOrEqual(200);
      expect(status, what).toBeLessThan(600);
    }
  }
  if (fuzz.mustRefuse)
    for (const status of answer.statuses)
      expect(status, `${what} was accepted`).toBeGreaterThanOrEqual(400);
}

async function fuzzServer(
  server: string,
  target: RawTarget,
  good: () => Promise<void>,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(hostileRequest, (fuzz) => judge(server, target, fuzz)),
    { numRuns: casesPerServer, seed, endOnFailure: true },
  );
  await good();
}

async function gatewayAnswers(): Promise<void> {
  const response = await request(`${gateway.url}/after-fuzz`);
  expect(response.statusCode).toBe(200);
  expect(((await response.body.json()) as { path: string }).path).toBe('/after-fuzz');
}

async function invokeApiAnswers(): Promise<void> {
  const response = await request(`${emulator.invokeUrl}/2015-03-31/functions/echo/invocations`, {
    method: 'POST',
    body: JSON.stringify({ rawPath: '/via-invoke' }),
  });
  expect(response.statusCode).toBe(200);
  expect(await response.body.json()).toMatchObject({ statusCode: 200 });
}

async function siteAnswers(): Promise<void> {
  const response = await request(`http://127.0.0.1:${site.port}/`);
  expect(response.statusCode).toBe(200);
  expect(await response.body.text()).toContain('<title>ok</title>');
}

/** The Runtime API address of a live echo worker, as its function sees it. */
async function workerRuntimeApi(): Promise<{ host: string; port: number }> {
  const response = await request(`${gateway.url}/where`);
  const { runtimeApi } = (await response.body.json()) as { runtimeApi: string };
  const [host, port] = runtimeApi.split(':');
  return { host: host!, port: Number(port) };
}

describe('generated hostile requests', () => {
  it(`API Gateway front: ${casesPerServer} cases, then a good request`, { timeout: 120_000 }, () =>
    fuzzServer('gateway', gateway.port, gatewayAnswers),
  );

  it(`Invoke API: ${casesPerServer} cases, then a good invocation`, { timeout: 120_000 }, () =>
    fuzzServer('invoke-api', Number(new URL(emulator.invokeUrl).port), invokeApiAnswers),
  );

  it(`static host: ${casesPerServer} cases, then the page`, { timeout: 120_000 }, () =>
    fuzzServer('static', site.port, siteAnswers),
  );

  it(
    `Runtime API of a live worker: ${casesPerServer} cases, then the worker still answers`,
    { timeout: 120_000 },
    async () => {
      const { port } = await workerRuntimeApi();
      await fuzzServer('runtime-api', port, gatewayAnswers);
    },
  );
});

describe("the Runtime API over its Unix socket (lbuild's own HTTP reader)", () => {
  it(
    `${casesPerServer} cases, then a well-formed request is still answered`,
    { timeout: 120_000 },
    async () => {
      const server = new RuntimeApiServer('127.0.0.1');
      try {
        const worker = await server.attach('fuzzed', { localSocket: 'owner' });
        const socketPath = worker.socketPath!;
        await fuzzServer('runtime-api socket', { socketPath }, async () => {
          const probe = await rawRequest(
            { socketPath },
            'POST /2018-06-01/runtime/invocation/none/response HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}',
            { responses: 1 },
          );
          expect(probe.statuses).toEqual([400]);
        });
      } finally {
        await server.close();
      }
    },
  );
});

describe('bodies at and past each limit', () => {
  it('the gateway answers 413 just past 10 MB and passes a deeply nested JSON body to the function', async () => {
    const over = await rawRequest(gateway.port, postOfSize('/big', 10 * 1024 * 1024 + 1), {
      waitMs: 20_000,
    });
    expect(over.statuses).toEqual([413]);
    const nested = deeplyNestedJson(200_000);
    const response = await request(`${gateway.url}/nested`, { method: 'POST', body: nested });
    // The event is 6 MB at most; the function gets the body as text and answers.
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  });

  it('the Invoke API refuses a payload just past 6 MB (413) and a deeply nested JSON one without crashing', async () => {
    const path = '/2015-03-31/functions/echo/invocations';
    const port = Number(new URL(emulator.invokeUrl).port);
    const over = await rawRequest(port, postOfSize(path, 6 * 1024 * 1024 + 1), { waitMs: 20_000 });
    expect(over.statuses).toEqual([413]);
    const nested = await request(`${emulator.invokeUrl}${path}`, {
      method: 'POST',
      body: deeplyNestedJson(200_000),
    });
    expect(nested.statusCode).toBeGreaterThanOrEqual(200);
    expect(nested.statusCode).toBeLessThan(600);
    await nested.body.dump();
    await invokeApiAnswers();
  });
});

describe('the Runtime API used out of order', () => {
  it('answers for unknown, finished and duplicate invocations are refused, and the worker serves on', async () => {
    const { port } = await workerRuntimeApi();
    const base = `http://127.0.0.1:${port}/2018-06-01/runtime`;
    for (const path of ['/invocation/not-a-request/response', '/invocation/not-a-request/error']) {
      const response = await request(`${base}${path}`, { method: 'POST', body: '{}' });
      expect(response.statusCode, path).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, path).toBeLessThan(500);
      await response.body.dump();
    }
    const lateInitError = await request(`${base}/init/error`, { method: 'POST', body: '{}' });
    expect(lateInitError.statusCode).toBeGreaterThanOrEqual(400);
    await lateInitError.body.dump();
    await gatewayAnswers();
  });

  it('a function that answers its own invocation first: the first answer wins, once, and the next invocation runs', async () => {
    const invoke = async () => {
      const response = await request(
        `${emulator.invokeUrl}/2015-03-31/functions/twice/invocations`,
        {
          method: 'POST',
          body: '{}',
        },
      );
      return { status: response.statusCode, body: await response.body.text() };
    };
    expect(await invoke()).toEqual({ status: 200, body: '"first"' });
    const again = await invoke();
    expect(again).toEqual({ status: 200, body: '"first"' });
  });
});
