/**
 * InvokeWithResponseStream driven by the real AWS SDK (@aws-sdk/client-lambda): its event stream
 * parser checks every frame (prelude and message CRCs, :message-type, :event-type), so passing
 * here means the frames are what Lambda sends.
 */
import {
  InvokeWithResponseStreamCommand,
  type LambdaClient,
  ResourceNotFoundException,
  type InvokeWithResponseStreamResponseEvent,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { encodeMessage } from '../../../src/emulator/invoke-api/event-stream.js';
import { crc32 } from '../../../src/package/zip/crc32.js';
import { fnDef, nodeFixtures, pythonFixtures } from './helpers.js';
import { localLambdaClient } from '../../support/lambda-client.js';

let emu: Emulator;
let lambda: LambdaClient;
const node = (name: string, handler: string, extra = {}) =>
  fnDef(name, handler, { runtimeName: 'nodejs20.x', ...extra });

beforeAll(async () => {
  emu = await startEmulator({
    codeDir: nodeFixtures,
    functions: [
      node('ticks', 'stream/index.ticks'),
      node('failsMidway', 'stream/index.failsMidway'),
      node('http', 'stream/index.http'),
      node('buffered', 'stream/index.buffered'),
      node('neverEnds', 'stream/index.neverEnds', { timeout: 1 }),
    ],
  });
  lambda = localLambdaClient(emu.invokeUrl);
});
afterAll(async () => {
  lambda?.destroy();
  await emu?.close();
});

interface Received {
  chunks: Array<{ at: number; text: string }>;
  complete?: NonNullable<InvokeWithResponseStreamResponseEvent['InvokeComplete']>;
  statusCode?: number;
}

async function invokeStream(
  functionName: string,
  event: unknown = {},
  extra: { LogType?: 'Tail' } = {},
): Promise<Received> {
  const response = await lambda.send(
    new InvokeWithResponseStreamCommand({
      FunctionName: functionName,
      Payload: Buffer.from(JSON.stringify(event)),
      ...extra,
    }),
  );
  const received: Received = {
    chunks: [],
    ...(response.StatusCode ? { statusCode: response.StatusCode } : {}),
  };
  for await (const item of response.EventStream!) {
    if (item.PayloadChunk?.Payload)
      received.chunks.push({
        at: Date.now(),
        text: Buffer.from(item.PayloadChunk.Payload).toString('utf8'),
      });
    if (item.InvokeComplete) received.complete = item.InvokeComplete;
  }
  return received;
}

describe('InvokeWithResponseStream with @aws-sdk/client-lambda', () => {
  test('PayloadChunk events arrive as the function writes them', async () => {
    const received = await invokeStream('ticks', { count: 4, gapMs: 400 });
    expect(received.statusCode).toBe(200);
    const lines = received.chunks
      .map((c) => c.text)
      .join('')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(4);
    // Each line carries the time the handler wrote it; it must arrive well before the last one
    // was written (a buffered answer would deliver all four together, after 1.6 s).
    expect(received.chunks.length).toBeGreaterThanOrEqual(4);
    const written = lines.map((line) => Number(line.split(' ')[2]));
    received.chunks.forEach((chunk, i) => {
      expect(chunk.at - written[i]!).toBeLessThan(300);
    });
    expect(received.chunks.at(-1)!.at - received.chunks[0]!.at).toBeGreaterThan(1000);
    expect(received.complete).toBeDefined();
    expect(received.complete!.ErrorCode).toBeUndefined();
  });

  test('a throw mid-stream: the chunks before it, then InvokeComplete with ErrorCode and ErrorDetails', async () => {
    const received = await invokeStream('failsMidway', {}, { LogType: 'Tail' });
    expect(received.statusCode).toBe(200);
    expect(received.chunks.map((c) => c.text).join('')).toBe('first part\nsecond part\n');
    expect(received.complete!.ErrorCode).toBe('StreamBrokeError');
    expect(JSON.parse(received.complete!.ErrorDetails!)).toMatchObject({
      errorType: 'StreamBrokeError',
      errorMessage: 'the source went away',
    });
    const log = Buffer.from(received.complete!.LogResult!, 'base64').toString('utf8');
    expect(log).toMatch(/REPORT RequestId: /);
    expect(log).toContain('the source went away');
  });

  test('a timeout mid-stream is InvokeComplete with Sandbox.Timedout', async () => {
    const received = await invokeStream('neverEnds');
    expect(received.chunks.map((c) => c.text).join('')).toBe('started\n');
    expect(received.complete!.ErrorCode).toBe('Sandbox.Timedout');
    expect(received.complete!.ErrorDetails).toContain('Task timed out after 1.00 seconds');
  });

  test('HttpResponseStream.from: the raw stream is the prelude, 8 NUL bytes and the body', async () => {
    const received = await invokeStream('http', { count: 2, gapMs: 10 });
    const all = received.chunks.map((c) => c.text).join('');
    const [prelude, body] = all.split('\0'.repeat(8));
    expect(JSON.parse(prelude!)).toMatchObject({
      statusCode: 201,
      cookies: ['session=abc; Path=/', 'theme=dark'],
    });
    expect(body).toMatch(/^line 0 \d+\nline 1 \d+\n$/);
  });

  test('a function that does not stream answers in one PayloadChunk', async () => {
    const received = await invokeStream('buffered', { n: 3 });
    expect(received.chunks).toHaveLength(1);
    expect(JSON.parse(received.chunks[0]!.text)).toEqual({ statusCode: 200, body: 'buffered 3' });
    expect(received.complete!.ErrorCode).toBeUndefined();
  });

  test('an unknown function is ResourceNotFoundException', async () => {
    await expect(invokeStream('nope')).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('event stream encoding', () => {
  test('CRC-32 is the IEEE one (check value of "123456789")', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  test('a message is prelude, headers, payload and a trailing CRC', () => {
    const message = encodeMessage({ a: 'b' }, Buffer.from('hi'));
    expect(message.readUInt32BE(0)).toBe(message.length);
    expect(message.readUInt32BE(4)).toBe(1 + 1 + 1 + 2 + 1);
    expect(message.readUInt32BE(8)).toBe(crc32(message.subarray(0, 8)));
    expect(message.readUInt32BE(message.length - 4)).toBe(crc32(message.subarray(0, -4)));
    expect(message.subarray(-6, -4).toString()).toBe('hi');
  });
});

describe('InvokeWithResponseStream on a Python function', () => {
  // Lambda's managed Python runtimes cannot stream: the call still succeeds, and the whole
  // response comes in one PayloadChunk followed by InvokeComplete.
  let python: Emulator;
  let client: LambdaClient;
  beforeAll(async () => {
    python = await startEmulator({
      codeDir: pythonFixtures,
      functions: [fnDef('echo', 'handlers.echo')],
    });
    client = localLambdaClient(python.invokeUrl);
  });
  afterAll(async () => {
    client?.destroy();
    await python?.close();
  });

  test('the buffered response arrives whole, in one PayloadChunk', async () => {
    const response = await client.send(
      new InvokeWithResponseStreamCommand({
        FunctionName: 'echo',
        Payload: Buffer.from('{"hello":"python"}'),
      }),
    );
    const events = [];
    for await (const item of response.EventStream!) events.push(item);
    expect(events).toHaveLength(2);
    expect(JSON.parse(Buffer.from(events[0]!.PayloadChunk!.Payload!).toString()).event).toEqual({
      hello: 'python',
    });
    expect(events[1]!.InvokeComplete).toBeDefined();
  });
});
