/**
 * The streaming handlers of the unit tests, run by AWS's own Node runtime client (aws-lambda-ric,
 * what AWS's Lambda images run) against lbuild's Runtime API: its ResponseStream POSTs a chunked
 * body with Lambda-Runtime-Function-Response-Mode: streaming and error trailers, and the Invoke
 * API's InvokeWithResponseStream passes it on as it comes. Gated like aws-lambda-ric.test.ts.
 */
import {
  InvokeWithResponseStreamCommand,
  type LambdaClient,
  type InvokeWithResponseStreamResponseEvent,
} from '@aws-sdk/client-lambda';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { installRic, ricInstalled, ricPackage, ricVersion } from '../../support/aws-lambda-ric.mjs';
import { optInGate } from '../../support/gates.js';
import { fnDef, json, nodeFixtures } from '../../unit/emulator/helpers.js';
import { localLambdaClient } from '../../support/lambda-client.js';

const installed = ricInstalled();
const gate = optInGate(
  installed,
  'LBUILD_TEST_RIC',
  `aws-lambda-ric ${ricVersion} is not installed`,
);

describe.skipIf(gate.skipReason)(`aws-lambda-ric ${ricVersion} streams through lbuild`, () => {
  let emu: Emulator;
  let lambda: LambdaClient;
  const node = (name: string, handler: string) =>
    fnDef(name, handler, { runtimeName: 'nodejs20.x' });

  beforeAll(async () => {
    if (!installed) await installRic();
    emu = await startEmulator({
      codeDir: nodeFixtures,
      runtimeCommand: (_fn, handler) => ({
        command: process.execPath,
        args: [join(ricPackage, 'bin', 'index.mjs'), handler],
      }),
      functions: [
        node('ticks', 'stream/index.ticks'),
        node('failsMidway', 'stream/index.failsMidway'),
        node('http', 'stream/index.http'),
      ],
    });
    lambda = localLambdaClient(emu.invokeUrl);
  });
  afterAll(async () => {
    lambda?.destroy();
    await emu?.close();
  });

  async function events(functionName: string, event: unknown) {
    const response = await lambda.send(
      new InvokeWithResponseStreamCommand({
        FunctionName: functionName,
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    );
    const chunks: Array<{ at: number; text: string }> = [];
    let complete: InvokeWithResponseStreamResponseEvent['InvokeComplete'];
    for await (const item of response.EventStream!) {
      if (item.PayloadChunk?.Payload)
        chunks.push({ at: Date.now(), text: Buffer.from(item.PayloadChunk.Payload).toString() });
      if (item.InvokeComplete) complete = item.InvokeComplete;
    }
    return { chunks, complete };
  }

  test('PayloadChunks arrive as the handler writes them', async () => {
    const { chunks, complete } = await events('ticks', { count: 4, gapMs: 400 });
    const lines = chunks
      .map((c) => c.text)
      .join('')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(4);
    const written = lines.map((line) => Number(line.split(' ')[2]));
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    chunks.forEach((chunk, i) => expect(chunk.at - written[i]!).toBeLessThan(300));
    expect(complete?.ErrorCode).toBeUndefined();
  });

  test("a throw mid-stream reaches InvokeComplete through ric's error trailers", async () => {
    const { chunks, complete } = await events('failsMidway', {});
    expect(chunks.map((c) => c.text).join('')).toBe('first part\nsecond part\n');
    expect(complete?.ErrorCode).toBe('StreamBrokeError');
    expect(json(Buffer.from(complete!.ErrorDetails!))).toMatchObject({
      errorType: 'StreamBrokeError',
      errorMessage: 'the source went away',
    });
  });

  test('HttpResponseStream.from under ric: its content type and prelude reach the invoker', async () => {
    const started = await emu.invoker.invokeStreaming({
      functionName: 'http',
      payload: Buffer.from('{"count":2,"gapMs":10}'),
    });
    expect(started.kind).toBe('streamed');
    if (started.kind !== 'streamed') return;
    expect(started.stream.contentType).toBe('application/vnd.awslambda.http-integration-response');
    const all = Buffer.concat(await started.stream.body.toArray());
    const nul = all.indexOf(Buffer.alloc(8));
    expect(JSON.parse(all.subarray(0, nul).toString())).toMatchObject({
      statusCode: 201,
      cookies: ['session=abc; Path=/', 'theme=dark'],
    });
    expect(all.subarray(nul + 8).toString()).toMatch(/^line 0 \d+\nline 1 \d+\n$/);
    expect((await started.stream.outcome).kind).toBe('succeeded');
  });
});
