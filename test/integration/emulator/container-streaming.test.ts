/**
 * Response streaming from a container worker (the offline Node stand-in, lbuild's bootstrap inside
 * the parity sandbox): the bootstrap reaches AWS_LAMBDA_RUNTIME_API's TCP port across the bridge
 * and its chunks arrive at an InvokeWithResponseStream caller as they are written.
 */
import { InvokeWithResponseStreamCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { fnDef, nodeFixtures } from '../../unit/emulator/helpers.js';
import { offlineNodeRun, pickImage } from '../../support/docker.js';
import { dockerGate } from '../../support/gates.js';
import { localLambdaClient } from '../../support/lambda-client.js';

const gate = await dockerGate();
const docker = gate.docker!;

describe.skipIf(gate.skipReason)('response streaming from a container worker', () => {
  let emu: Emulator;
  let lambda: LambdaClient;

  beforeAll(async () => {
    emu = await startEmulator({
      workerKind: 'container',
      runImage: await pickImage(docker, offlineNodeRun),
      docker,
      codeDir: nodeFixtures,
      functions: [
        fnDef('ticks', 'stream/index.ticks', { runtimeName: 'nodejs18.x' }),
        fnDef('failsMidway', 'stream/index.failsMidway', { runtimeName: 'nodejs18.x' }),
      ],
    });
    lambda = localLambdaClient(emu.invokeUrl);
  }, 120_000);
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
    let errorCode: string | undefined;
    for await (const item of response.EventStream!) {
      if (item.PayloadChunk?.Payload)
        chunks.push({ at: Date.now(), text: Buffer.from(item.PayloadChunk.Payload).toString() });
      if (item.InvokeComplete) errorCode = item.InvokeComplete.ErrorCode;
    }
    return { chunks, errorCode };
  }

  test('chunks leave the container as they are written', async () => {
    const { chunks, errorCode } = await events('ticks', { count: 4, gapMs: 400 });
    const lines = chunks
      .map((c) => c.text)
      .join('')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(4);
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    // The handler stamps each line with its clock (the container shares the host's): each arrives
    // within a moment of being written.
    const written = lines.map((line) => Number(line.split(' ')[2]));
    chunks.forEach((chunk, i) => expect(chunk.at - written[i]!).toBeLessThan(300));
    expect(errorCode).toBeUndefined();
  }, 60_000);

  test('a throw mid-stream arrives as InvokeComplete ErrorCode', async () => {
    const { chunks, errorCode } = await events('failsMidway', {});
    expect(chunks.map((c) => c.text).join('')).toBe('first part\nsecond part\n');
    expect(errorCode).toBe('StreamBrokeError');
  }, 60_000);
});
