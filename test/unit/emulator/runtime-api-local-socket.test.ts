/**
 * lbuild's own HTTP/1.1 connection on the Runtime API's Unix socket, byte by byte: what makes it
 * worth having (a pipelined result's 202 leaves in the same write as the next event) and what it
 * refuses (anything but Content-Length-framed HTTP/1.1), closing the connection with a reason.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { RuntimeApiServer, type AttachedWorker } from '../../../src/emulator/runtime-api/server.js';
import { endpointInvocation } from './helpers.js';

let server: RuntimeApiServer;
let worker: AttachedWorker;
const invocation = endpointInvocation;

beforeEach(async () => {
  server = new RuntimeApiServer();
  worker = await server.attach('w1', { localSocket: 'owner' });
});
afterEach(async () => server.close());

/** A raw connection to the socket that records each chunk the server sends. */
function rawClient() {
  const socket: Socket = connect(worker.socketPath!);
  const chunks: string[] = [];
  let closed = false;
  socket.on('data', (chunk) => chunks.push(chunk.toString('latin1')));
  socket.on('close', () => (closed = true));
  const text = () => chunks.join('');
  return {
    socket,
    chunks,
    text,
    closed: () => closed,
    async waitFor(check: () => boolean) {
      for (let i = 0; i < 300 && !check(); i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(check()).toBe(true);
    },
  };
}

const next = 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n';
const post = (id: string, body: string) =>
  `POST /2018-06-01/runtime/invocation/${id}/response HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

test("a pipelined result's 202 and the next event leave in one write", async () => {
  const client = rawClient();
  const first = worker.endpoint.deliver(invocation('a'));
  client.socket.write(next);
  await client.waitFor(() => /lambda-runtime-aws-request-id: a/i.test(client.text()));

  const before = client.chunks.length;
  client.socket.write(post('a', '"one"') + next);
  expect(await first).toMatchObject({ kind: 'response', body: Buffer.from('"one"') });
  await new Promise((resolve) => setTimeout(resolve, 50));
  // Held: the runtime waits for the event anyway.
  expect(client.chunks.length).toBe(before);

  void worker.endpoint.deliver(invocation('b'));
  await client.waitFor(() => client.chunks.length > before);
  const chunk = client.chunks[before]!;
  expect(chunk).toMatch(/^HTTP\/1\.1 202 Accepted\r\n/);
  expect(chunk).toMatch(
    /\r\n\r\n\{"status":"OK"\}HTTP\/1\.1 200 OK\r\n[\s\S]*lambda-runtime-aws-request-id: b\r\n[\s\S]*\r\n\r\n\{"n":1\}$/i,
  );
  client.socket.destroy();
});

test('requests split across writes, one byte at a time, are read whole', async () => {
  const client = rawClient();
  const reply = worker.endpoint.deliver(invocation('slow'));
  client.socket.write(next);
  await client.waitFor(() => /lambda-runtime-aws-request-id: slow/i.test(client.text()));
  for (const byte of post('slow', '{"split":true}')) {
    client.socket.write(byte);
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(await reply).toMatchObject({ kind: 'response', body: Buffer.from('{"split":true}') });
  await client.waitFor(() => /202 Accepted/.test(client.text()));
  client.socket.destroy();
});

test.each([
  [
    'a chunked body',
    'POST /2018-06-01/runtime/init/error HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
    501,
    'chunked',
  ],
  [
    'HTTP/1.0',
    'GET /2018-06-01/runtime/invocation/next HTTP/1.0\r\n\r\n',
    400,
    'malformed request line',
  ],
  [
    'a bad Content-Length',
    'POST /2018-06-01/runtime/init/error HTTP/1.1\r\nContent-Length: -1\r\n\r\n',
    400,
    'bad Content-Length',
  ],
  ['garbage', 'hello\r\n\r\n', 400, 'malformed request line'],
])(
  '%s is refused with a reason and the connection is closed',
  async (_what, request, status, reason) => {
    const client = rawClient();
    client.socket.write(request);
    await client.waitFor(() => client.closed());
    expect(client.text()).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(client.text()).toContain(reason);
    expect(client.text()).toContain('AWS_LAMBDA_RUNTIME_API');
    // The endpoint itself is untouched: a well-formed client is served.
    const again = rawClient();
    void worker.endpoint.deliver(invocation('after'));
    again.socket.write(next);
    await again.waitFor(() => /lambda-runtime-aws-request-id: after/i.test(again.text()));
    again.socket.destroy();
  },
);

test('a runtime that drops its parked long poll gets no event; the next /next does', async () => {
  const client = rawClient();
  client.socket.write(next);
  await client.waitFor(() => worker.endpoint.state === 'waiting');
  client.socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const reply = worker.endpoint.deliver(invocation('later'));
  const second = rawClient();
  second.socket.write(next);
  await second.waitFor(() => /lambda-runtime-aws-request-id: later/i.test(second.text()));
  second.socket.write(post('later', '1'));
  expect(await reply).toMatchObject({ kind: 'response', body: Buffer.from('1') });
  second.socket.destroy();
});
