/**
 * Response streaming through lbuild's Node bootstrap and Runtime API, at the Invoker: the stream
 * reaches the front door as the handler writes it, errors arrive in trailers, the 6 MB limit holds
 * for buffered callers and the handler-side rules (content type, non-async handlers) are Lambda's.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import type { StreamedResponse } from '../../../src/emulator/types.js';
import { fnDef, json, nodeFixtures } from './helpers.js';

let emu: Emulator;
const node = (name: string, handler: string, extra = {}) =>
  fnDef(name, handler, { runtimeName: 'nodejs20.x', ...extra });
const payload = (value: unknown) => Buffer.from(JSON.stringify(value));

beforeAll(async () => {
  emu = await startEmulator({
    codeDir: nodeFixtures,
    functions: [
      node('ticks', 'stream/index.ticks'),
      node('failsMidway', 'stream/index.failsMidway'),
      node('http', 'stream/index.http'),
      node('lateContentType', 'stream/index.lateContentType'),
      node('typed', 'stream/index.typed'),
      node('big', 'stream/index.big'),
      node('notAsync', 'stream/index.notAsync'),
      node('neverEnds', 'stream/index.neverEnds', { timeout: 1 }),
      node('buffered', 'stream/index.buffered'),
    ],
  });
});
afterAll(async () => emu?.close());

/** Read a stream, noting when each chunk arrived. */
async function readTimed(stream: StreamedResponse): Promise<Array<{ at: number; text: string }>> {
  const seen: Array<{ at: number; text: string }> = [];
  for await (const chunk of stream.body) seen.push({ at: Date.now(), text: String(chunk) });
  return seen;
}

async function streamed(functionName: string, event: unknown = {}): Promise<StreamedResponse> {
  const result = await emu.invoker.invokeStreaming({ functionName, payload: payload(event) });
  if (result.kind !== 'streamed')
    throw new Error(`did not stream: ${result.outcome.kind}\n${result.outcome.logs.join('\n')}`);
  return result.stream;
}

describe('response streaming (lbuild Node bootstrap)', () => {
  test('chunks reach the caller as the handler writes them', async () => {
    const stream = await streamed('ticks', { count: 4, gapMs: 300 });
    expect(stream.contentType).toBe('application/octet-stream');
    const seen = await readTimed(stream);
    const text = seen.map((s) => s.text).join('');
    expect(text.trim().split('\n')).toHaveLength(4);
    // Arrival times spread over the handler's pauses (not all at the end).
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)!.at - seen[0]!.at).toBeGreaterThan(600);
    const outcome = await stream.outcome;
    expect(outcome.kind).toBe('succeeded');
    expect(outcome.logs.some((line) => line.startsWith('REPORT RequestId:'))).toBe(true);
  });

  test('a throw mid-stream ends the stream and the outcome carries the error', async () => {
    const stream = await streamed('failsMidway');
    const text = (await readTimed(stream)).map((s) => s.text).join('');
    expect(text).toBe('first part\nsecond part\n');
    const outcome = await stream.outcome;
    expect(outcome.kind === 'function-error' && outcome.errorType).toBe('StreamBrokeError');
    expect(json((outcome as { body: Buffer }).body)).toMatchObject({
      errorType: 'StreamBrokeError',
      errorMessage: 'the source went away',
    });
  });

  test('HttpResponseStream.from: its content type, the JSON prelude and 8 NUL bytes, then the body', async () => {
    const stream = await streamed('http', { count: 2, gapMs: 50 });
    expect(stream.contentType).toBe('application/vnd.awslambda.http-integration-response');
    const all = Buffer.concat(await stream.body.toArray());
    const nul = all.indexOf(Buffer.alloc(8));
    expect(JSON.parse(all.subarray(0, nul).toString())).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-streamed': 'yes' },
      cookies: ['session=abc; Path=/', 'theme=dark'],
    });
    expect(all.subarray(nul + 8).toString()).toMatch(/^line 0 \d+\nline 1 \d+\n$/);
  });

  test('setContentType after the first write is Runtime.InvalidStreamingOperation', async () => {
    const stream = await streamed('lateContentType');
    expect(Buffer.concat(await stream.body.toArray()).toString()).toBe('too early\n');
    const outcome = await stream.outcome;
    expect(outcome.kind === 'function-error' && outcome.errorType).toBe(
      'Runtime.InvalidStreamingOperation',
    );
    expect(json((outcome as { body: Buffer }).body).errorMessage).toBe(
      'Cannot set content-type, too late.',
    );
  });

  test('setContentType before writing names the stream; objects are written as JSON', async () => {
    const stream = await streamed('typed');
    expect(stream.contentType).toBe('application/x-ndjson');
    expect(Buffer.concat(await stream.body.toArray()).toString()).toBe('{"n":1}\n');
  });

  test('a handler that is not async cannot stream (errorType "string", as AWS\'s client says)', async () => {
    const result = await emu.invoker.invokeStreaming({
      functionName: 'notAsync',
      payload: payload({}),
    });
    const outcome =
      result.kind === 'streamed'
        ? (await result.stream.body.toArray(), await result.stream.outcome)
        : result.outcome;
    expect(outcome.kind === 'function-error' && json(outcome.body)).toMatchObject({
      errorType: 'string',
      errorMessage: 'Streaming does not support non-async handlers.',
    });
  });

  test('a stream that never ends times out like any invocation', async () => {
    const stream = await streamed('neverEnds');
    expect(Buffer.concat(await stream.body.toArray()).toString()).toBe('started\n');
    expect((await stream.outcome).kind).toBe('timed-out');
  });

  test('7 MB stream through; a buffered caller of the same handler gets the 6 MB limit', async () => {
    const stream = await streamed('big');
    let bytes = 0;
    for await (const chunk of stream.body) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(7 * 1024 * 1024);
    expect((await stream.outcome).kind).toBe('succeeded');
    const buffered = await emu.invoker.invoke({ functionName: 'big', payload: payload({}) });
    expect(buffered.kind).toBe('response-too-large');
  });

  test('a buffered caller of a streaming handler gets the whole body', async () => {
    const outcome = await emu.invoker.invoke({ functionName: 'typed', payload: payload({}) });
    expect(outcome.kind === 'succeeded' && String(outcome.body)).toBe('{"n":1}\n');
  });

  test('a handler that does not stream answers a streaming caller with its whole outcome', async () => {
    const result = await emu.invoker.invokeStreaming({
      functionName: 'buffered',
      payload: payload({ n: 2 }),
    });
    expect(result.kind).toBe('buffered');
    expect(
      result.kind === 'buffered' &&
        result.outcome.kind === 'succeeded' &&
        json(result.outcome.body),
    ).toEqual({
      statusCode: 200,
      body: 'buffered 2',
    });
  });
});

describe('a reader that stops early', () => {
  test('the runtime finishes and the worker serves the next invocation', async () => {
    const stream = await streamed('ticks', { count: 3, gapMs: 100 });
    for await (const _chunk of stream.body) break; // destroys the body after the first chunk
    expect((await stream.outcome).kind).toBe('succeeded');
    const again = await streamed('ticks', { count: 2, gapMs: 10 });
    expect(
      Buffer.concat(await again.body.toArray())
        .toString()
        .split('\n'),
    ).toHaveLength(3);
  });
});
