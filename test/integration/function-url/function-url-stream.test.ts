/**
 * A Function URL in RESPONSE_STREAM mode in front of Node streaming handlers (lbuild's bootstrap on
 * the host's node): the client reads lines as the function writes them, HttpResponseStream.from's
 * status, headers and cookies arrive, and a mid-stream error cuts the response. Ports 4230-4239
 * (tests of other work run beside these).
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import {
  functionUrlId,
  startFunctionUrl,
  type RunningFunctionUrl,
} from '../../../src/emulator/function-url/index.js';
import { fnDef, nodeFixtures } from '../../unit/emulator/helpers.js';

let emulator: Emulator;
const servers: RunningFunctionUrl[] = [];
const node = (name: string, handler: string) =>
  fnDef(name, handler, { runtimeName: 'nodejs20.x', timeout: 10 });

async function serveUrl(
  functionName: string,
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM',
  port: number,
): Promise<string> {
  const server = await startFunctionUrl({
    invoker: emulator.invoker,
    functionName,
    authType: 'NONE',
    invokeMode,
    urlId: functionUrlId('urls-stream-test', functionName),
    region: 'us-east-1',
    port,
  });
  servers.push(server);
  return server.url;
}

let streamedUrl: string;
let failingUrl: string;

beforeAll(async () => {
  emulator = await startEmulator({
    codeDir: nodeFixtures,
    functions: [node('http', 'stream/index.http'), node('failsMidway', 'stream/index.failsMidway')],
  });
  streamedUrl = await serveUrl('http', 'RESPONSE_STREAM', 4230);
  failingUrl = await serveUrl('failsMidway', 'RESPONSE_STREAM', 4232);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await emulator?.close();
});

/** The body's chunks with their arrival times. */
async function readTimed(body: AsyncIterable<Buffer>) {
  const seen: Array<{ at: number; text: string }> = [];
  for await (const chunk of body) seen.push({ at: Date.now(), text: chunk.toString() });
  return seen;
}

describe('a Function URL in RESPONSE_STREAM mode', () => {
  it("streams the body as written, with HttpResponseStream.from's status, headers and cookies", async () => {
    // The fixture's http handler takes no event fields from a URL request: 3 lines, 300 ms apart.
    const response = await request(streamedUrl);
    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['x-streamed']).toBe('yes');
    expect(response.headers['set-cookie']).toEqual(['session=abc; Path=/', 'theme=dark']);
    expect(response.headers['transfer-encoding']).toBe('chunked');
    const seen = await readTimed(response.body);
    const lines = seen
      .map((s) => s.text)
      .join('')
      .trim()
      .split('\n');
    expect(lines.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([
      'line 0',
      'line 1',
      'line 2',
    ]);
    // Each line arrived close to when the handler stamped it, not all at the end.
    for (const line of lines) {
      const stamped = Number(line.split(' ')[2]);
      const arrived = seen.find((s) => s.text.includes(line))!.at;
      expect(arrived - stamped).toBeLessThan(250);
    }
    expect(seen.at(-1)!.at - seen[0]!.at).toBeGreaterThan(450);
  });

  it('an error after the first byte cuts the response short', async () => {
    const response = await request(failingUrl);
    expect(response.statusCode).toBe(200);
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of response.body) received.push(chunk.toString());
      })(),
    ).rejects.toThrow();
    expect(received.join('')).toContain('first part');
  });
});
