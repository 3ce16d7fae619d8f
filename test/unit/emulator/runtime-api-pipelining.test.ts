/**
 * HTTP/1.1 pipelining on the Runtime API (what lbuild's bootstraps do: the result and the next
 * /next in one send) and the x-lbuild-output-bytes mark, over a raw socket.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { RuntimeApiServer, type AttachedWorker } from '../../../src/emulator/runtime-api/server.js';
import { OutputCounter } from '../../../src/emulator/workers/core/output-counter.js';
import { endpointInvocation } from './helpers.js';

let server: RuntimeApiServer;
let worker: AttachedWorker;
const invocation = endpointInvocation;

beforeEach(async () => {
  server = new RuntimeApiServer();
  worker = await server.attach('w1');
});
afterEach(async () => server.close());

/** A raw connection that collects everything the server sends. */
function rawClient(): {
  socket: Socket;
  received: () => string;
  waitFor: (pattern: RegExp) => Promise<string>;
} {
  const socket = connect(worker.port, '127.0.0.1');
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  return {
    socket,
    received: () => text,
    async waitFor(pattern) {
      for (let i = 0; i < 200 && !pattern.test(text); i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(text).toMatch(pattern);
      return text;
    },
  };
}

const next = (host: string) =>
  `GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
const post = (host: string, id: string, body: string, extra = '') =>
  `POST /2018-06-01/runtime/invocation/${id}/response HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`;

test('a pipelined response + /next: the reply completes, the /next parks, and the 202 travels with the next event', async () => {
  const client = rawClient();
  const first = worker.endpoint.deliver(invocation('a'));
  client.socket.write(next(worker.runtimeApi));
  await client.waitFor(/lambda-runtime-aws-request-id: a/i);

  client.socket.write(
    post(worker.runtimeApi, 'a', '"one"', 'X-Lbuild-Output-Bytes: 12 3\r\n') +
      next(worker.runtimeApi),
  );
  expect(await first).toEqual({
    kind: 'response',
    body: Buffer.from('"one"'),
    output: { stdout: 12, stderr: 3 },
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  // The second /next is parked; its 202 is held back until there is an event to send with it.
  expect(worker.endpoint.state).toBe('waiting');
  expect(client.received()).not.toMatch(/202 Accepted/);

  const second = worker.endpoint.deliver(invocation('b'));
  const text = await client.waitFor(/lambda-runtime-aws-request-id: b/i);
  expect(text.indexOf('202 Accepted')).toBeGreaterThan(0);
  expect(text.indexOf('202 Accepted')).toBeLessThan(
    text.search(/lambda-runtime-aws-request-id: b/i),
  );

  client.socket.write(post(worker.runtimeApi, 'b', '"two"'));
  expect(await second).toEqual({ kind: 'response', body: Buffer.from('"two"') });
  await client.waitFor(/202 Accepted[\s\S]*202 Accepted/);
  client.socket.destroy();
});

test('a held-back 202 is sent when the worker closes', async () => {
  const client = rawClient();
  const first = worker.endpoint.deliver(invocation('a'));
  client.socket.write(next(worker.runtimeApi));
  await client.waitFor(/lambda-runtime-aws-request-id: a/i);
  client.socket.write(post(worker.runtimeApi, 'a', '"one"') + next(worker.runtimeApi));
  await first;
  await new Promise((resolve) => setTimeout(resolve, 20));
  worker.endpoint.close();
  await client.waitFor(/202 Accepted/);
  client.socket.destroy();
});

test('OutputCounter: waits for exactly the reported bytes, at most maxMs', async () => {
  const counter = new OutputCounter();
  counter.add('stdout', 5);
  await counter.waitFor({ stdout: 5, stderr: 0 }, 1000); // already there
  let done = false;
  const waiting = counter.waitFor({ stdout: 8, stderr: 2 }, 1000).then(() => (done = true));
  counter.add('stdout', 3);
  await new Promise((resolve) => setImmediate(resolve));
  expect(done).toBe(false);
  counter.add('stderr', 2);
  await waiting;
  const started = Date.now();
  await counter.waitFor({ stdout: 100, stderr: 0 }, 30); // never arrives: gives up
  expect(Date.now() - started).toBeGreaterThanOrEqual(25);
});
