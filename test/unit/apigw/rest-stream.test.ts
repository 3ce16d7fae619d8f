/**
 * A REST API route with response transfer mode STREAM, read by curl: the function's stream reaches
 * the client as it is written, HttpResponseStream's prelude becomes the status, headers and
 * cookies, a mid-stream error cuts the response short, and HTTP APIs refuse the setting.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResolvedFunction } from '../../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../../src/emulator/apigw/server.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { UserError } from '../../../src/errors.js';
import { fnDef, nodeFixtures } from '../emulator/helpers.js';

let emu: Emulator;
let gateway: RunningGateway;
const node = (name: string, handler: string, routes: string[], streamRoutes: string[]) =>
  fnDef(name, handler, {
    runtimeName: 'nodejs20.x',
    routes,
    payloadVersion: '1.0',
    ...(streamRoutes.length > 0 ? { streamRoutes } : {}),
  });

const functions: ResolvedFunction[] = [
  node('http', 'stream/index.http', ['GET /http', 'GET /http-buffered'], ['GET /http']),
  node('ticks', 'stream/index.ticks', ['POST /ticks'], ['POST /ticks']),
  node('failsMidway', 'stream/index.failsMidway', ['GET /fails'], ['GET /fails']),
  node('buffered', 'stream/index.buffered', ['GET /buffered'], ['GET /buffered']),
];

beforeAll(async () => {
  emu = await startEmulator({ codeDir: nodeFixtures, functions });
  gateway = await startGateway({ invoker: emu.invoker, functions, api: 'rest', port: 0 });
});
afterAll(async () => {
  await gateway?.close();
  await emu?.close();
});

interface CurlResult {
  exitCode: number | null;
  head: string;
  chunks: Array<{ at: number; text: string }>;
}

/** curl -N -i (no buffering, head included), noting when each piece of the body arrives. */
function curl(path: string, args: string[] = []): Promise<CurlResult> {
  return new Promise((resolve) => {
    const child = spawn('curl', ['-sS', '-N', '-i', ...args, `${gateway.url}${path}`]);
    const result: CurlResult = { exitCode: null, head: '', chunks: [] };
    let inHead = true;
    child.stdout.on('data', (chunk: Buffer) => {
      let text = chunk.toString('utf8');
      if (inHead) {
        const end = (result.head + text).indexOf('\r\n\r\n');
        if (end < 0) {
          result.head += text;
          return;
        }
        const all = result.head + text;
        result.head = all.slice(0, end + 2);
        text = all.slice(end + 4);
        inHead = false;
      }
      if (text.length > 0) result.chunks.push({ at: Date.now(), text });
    });
    child.on('close', (code) => resolve({ ...result, exitCode: code }));
  });
}

const body = (result: CurlResult) => result.chunks.map((c) => c.text).join('');

describe('REST API route in STREAM mode, read by curl', () => {
  test('HttpResponseStream.from: status, headers and cookies, then the body as it is written', async () => {
    const result = await curl('/http');
    expect(result.exitCode).toBe(0);
    expect(result.head).toMatch(/^HTTP\/1\.1 201 /);
    expect(result.head).toMatch(/^content-type: text\/plain; charset=utf-8\r$/im);
    expect(result.head).toMatch(/^x-streamed: yes\r$/im);
    expect(result.head).toMatch(/^set-cookie: session=abc; Path=\/\r$/im);
    expect(result.head).toMatch(/^set-cookie: theme=dark\r$/im);
    expect(result.head).toMatch(/^transfer-encoding: chunked\r$/im);
    const lines = body(result).trim().split('\n');
    expect(lines).toHaveLength(3);
    // Each line arrives when the handler writes it (it carries that time), not at the end.
    const written = lines.map((line) => Number(line.split(' ')[2]));
    expect(result.chunks.length).toBeGreaterThanOrEqual(3);
    result.chunks.forEach((chunk, i) => expect(chunk.at - written[i]!).toBeLessThan(250));
  });

  test("a stream without a prelude is the body, with the function's content type", async () => {
    const result = await curl('/ticks', ['-X', 'POST', '-d', '{}']);
    expect(result.exitCode).toBe(0);
    expect(result.head).toMatch(/^HTTP\/1\.1 200 /);
    expect(result.head).toMatch(/^content-type: application\/octet-stream\r$/im);
    // The event is the REST proxy event, so the fixture's defaults apply (5 ticks, 300 ms apart).
    expect(body(result).trim().split('\n')).toHaveLength(5);
    expect(result.chunks.at(-1)!.at - result.chunks[0]!.at).toBeGreaterThan(900);
  });

  test('a throw mid-stream cuts the response short: curl sees the first parts and fails', async () => {
    const result = await curl('/fails');
    expect(result.head).toMatch(/^HTTP\/1\.1 200 /);
    expect(body(result)).toBe('first part\nsecond part\n');
    expect(result.exitCode).toBe(18); // CURLE_PARTIAL_FILE
  });

  test('a function that does not stream answers as a buffered proxy integration', async () => {
    const result = await curl('/buffered');
    expect(result.exitCode).toBe(0);
    expect(result.head).toMatch(/^HTTP\/1\.1 200 /);
    expect(body(result)).toBe('buffered 0');
  });

  test('the same streaming handler on a BUFFERED route: prelude bytes are not a proxy response (502)', async () => {
    const result = await curl('/http-buffered');
    expect(result.head).toMatch(/^HTTP\/1\.1 502 /);
  });
});

test('HTTP APIs have no STREAM mode: the setting is refused with a hint', async () => {
  await expect(
    startGateway({ invoker: emu.invoker, functions, api: 'http', port: 0 }),
  ).rejects.toThrow(UserError);
  await expect(
    startGateway({ invoker: emu.invoker, functions, api: 'http', port: 0 }),
  ).rejects.toThrow(/only REST APIs have/);
});
