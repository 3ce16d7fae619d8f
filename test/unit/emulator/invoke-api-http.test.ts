/** The Invoke API's validation over raw HTTP: what the SDK never sends but other clients might. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { fnDef, pythonFixtures } from './helpers.js';

let emu: Emulator;
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${emu.invokeUrl}${path}`, { method: 'POST', body, headers });
const invokePath = '/2015-03-31/functions/echo/invocations';

beforeAll(async () => {
  emu = await startEmulator({
    codeDir: pythonFixtures,
    functions: [fnDef('echo', 'handlers.echo')],
  });
});
afterAll(async () => emu?.close());

describe('Invoke API validation', () => {
  test('binds to 127.0.0.1 by default', () => {
    expect(emu.invokeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('an empty body invokes with {}', async () => {
    const response = await post(invokePath, '');
    expect(response.status).toBe(200);
    expect((await response.json()).event).toEqual({});
  });

  test('a body that is not JSON → 400 InvalidRequestContentException', async () => {
    const response = await post(invokePath, '{nope');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    expect(await response.json()).toMatchObject({
      Type: 'User',
      message: expect.stringContaining('Could not parse request body into json'),
    });
  });

  test('client context over 3,583 bytes → 400; not base64 JSON → 400', async () => {
    const big = Buffer.from(JSON.stringify({ custom: { x: 'y'.repeat(3000) } })).toString('base64');
    expect((await post(invokePath, '{}', { 'X-Amz-Client-Context': big })).status).toBe(400);
    const notJson = Buffer.from('hello').toString('base64');
    const response = await post(invokePath, '{}', { 'X-Amz-Client-Context': notJson });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
  });

  test('an unknown invocation type → 400 InvalidParameterValueException', async () => {
    const response = await post(invokePath, '{}', { 'X-Amz-Invocation-Type': 'Sometimes' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
  });

  test('Event payloads are limited to 1 MB (413), synchronous ones to 6 MB', async () => {
    const body = JSON.stringify({ blob: 'x'.repeat(1024 * 1024) });
    const asyncResponse = await post(invokePath, body, { 'X-Amz-Invocation-Type': 'Event' });
    expect(asyncResponse.status).toBe(413);
    expect(asyncResponse.headers.get('x-amzn-errortype')).toBe('RequestTooLargeException');
    expect((await post(invokePath, body)).status).toBe(200);
  });

  test('Tail is ignored for Event; the request id header is returned', async () => {
    const response = await post(invokePath, '{}', {
      'X-Amz-Invocation-Type': 'Event',
      'X-Amz-Log-Type': 'Tail',
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-amz-log-result')).toBeNull();
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    await emu.invoker.drainEvents();
  });

  test('other operations → 404 UnknownOperationException', async () => {
    const response = await fetch(`${emu.invokeUrl}/2015-03-31/functions/echo`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  test('idle workers are reaped', async () => {
    await post(invokePath, '{}');
    expect(emu.invoker.stats('echo')!.idle).toBeGreaterThan(0);
    expect(await emu.invoker.reap(0)).toBeGreaterThan(0);
    expect(emu.invoker.stats('echo')!.idle).toBe(0);
  });
});
