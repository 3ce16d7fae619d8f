/** The Invoke API driven by the real AWS SDK (@aws-sdk/client-lambda), pointed at the emulator. */
import {
  InvokeCommand,
  type LambdaClient,
  ResourceNotFoundException,
  RequestTooLargeException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type LogEvent } from '../../../src/emulator/index.js';
import { fnDef, json, pythonFixtures } from './helpers.js';
import { localLambdaClient } from '../../support/lambda-client.js';

let emu: Emulator;
let lambda: LambdaClient;
const events: LogEvent[] = [];
const payload = (value: unknown) => Buffer.from(JSON.stringify(value));

beforeAll(async () => {
  emu = await startEmulator({
    codeDir: pythonFixtures,
    functions: [
      fnDef('echo', 'handlers.echo'),
      fnDef('boom', 'handlers.boom'),
      fnDef('slow', 'handlers.sleepy', { concurrency: 1 }),
      fnDef('spin', 'handlers.spin', { timeout: 1 }),
    ],
    queueSize: 0,
  });
  emu.logs.subscribe((event) => events.push(event));
  lambda = localLambdaClient(emu.invokeUrl);
});
afterAll(async () => {
  lambda?.destroy();
  await emu?.close();
});

describe('Invoke API with @aws-sdk/client-lambda', () => {
  test('RequestResponse returns the result with 200 and $LATEST', async () => {
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: payload({ hello: 'sdk' }) }),
    );
    expect(result.StatusCode).toBe(200);
    expect(result.ExecutedVersion).toBe('$LATEST');
    expect(result.FunctionError).toBeUndefined();
    expect(json(result.Payload).event).toEqual({ hello: 'sdk' });
  });

  test('Tail logs: X-Amz-Log-Result carries START ... REPORT', async () => {
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: payload({}), LogType: 'Tail' }),
    );
    const log = Buffer.from(result.LogResult ?? '', 'base64').toString('utf8');
    const requestId = json(result.Payload).request_id;
    expect(log).toContain(`START RequestId: ${requestId} Version: $LATEST`);
    expect(log).toContain('hello from python');
    expect(log).toMatch(
      new RegExp(
        `REPORT RequestId: ${requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB`,
      ),
    );
    expect(result.$metadata.requestId).toBe(requestId);
  });

  test('function names may be ARNs, with $LATEST as qualifier', async () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:echo';
    expect(
      (await lambda.send(new InvokeCommand({ FunctionName: arn, Payload: payload({}) })))
        .StatusCode,
    ).toBe(200);
    expect(
      (
        await lambda.send(
          new InvokeCommand({ FunctionName: 'echo', Qualifier: '$LATEST', Payload: payload({}) }),
        )
      ).StatusCode,
    ).toBe(200);
    await expect(
      lambda.send(
        new InvokeCommand({ FunctionName: 'echo', Qualifier: 'prod', Payload: payload({}) }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('client context reaches the handler', async () => {
    const ClientContext = Buffer.from(JSON.stringify({ custom: { tenant: 'acme' } })).toString(
      'base64',
    );
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: payload({}), ClientContext }),
    );
    expect(json(result.Payload).client_context_custom).toEqual({ tenant: 'acme' });
  });

  test('a function error is 200 with FunctionError Unhandled and the error body', async () => {
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'boom', Payload: payload({}) }),
    );
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    expect(json(result.Payload)).toMatchObject({
      errorType: 'OrderError',
      errorMessage: 'order 42 is invalid',
    });
  });

  test('a timeout is 200 + Unhandled with Sandbox.Timedout', async () => {
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'spin', Payload: payload({}) }),
    );
    expect(result.FunctionError).toBe('Unhandled');
    expect(json(result.Payload)).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(/Task timed out after 1\.00 seconds$/),
    });
  });

  test('Event is 202 and runs in the background', async () => {
    const before = events.filter((e) => e.functionName === 'echo' && e.kind === 'report').length;
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: 'echo',
        InvocationType: 'Event',
        Payload: payload({ async: true }),
      }),
    );
    expect(result.StatusCode).toBe(202);
    expect(result.Payload?.length ?? 0).toBe(0);
    await emu.invoker.drainEvents();
    expect(events.filter((e) => e.functionName === 'echo' && e.kind === 'report').length).toBe(
      before + 1,
    );
  });

  test('DryRun is 204 and runs nothing', async () => {
    const before = events.length;
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }),
    );
    expect(result.StatusCode).toBe(204);
    expect(events.length).toBe(before);
  });

  test('unknown function → ResourceNotFoundException (404)', async () => {
    const error = await lambda
      .send(new InvokeCommand({ FunctionName: 'nope', Payload: payload({}) }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    expect((error as Error).message).toBe(
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
    );
  });

  test('payload over 6 MB → RequestTooLargeException (413)', async () => {
    const big = payload({ blob: 'x'.repeat(6 * 1024 * 1024) });
    const error = await lambda
      .send(new InvokeCommand({ FunctionName: 'echo', Payload: big }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTooLargeException);
    expect((error as RequestTooLargeException).$metadata.httpStatusCode).toBe(413);
  });

  test('a busy function with no queue → TooManyRequestsException (429)', async () => {
    const first = lambda.send(
      new InvokeCommand({ FunctionName: 'slow', Payload: payload({ seconds: 0.5 }) }),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    const error = await lambda
      .send(new InvokeCommand({ FunctionName: 'slow', Payload: payload({}) }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect((error as TooManyRequestsException).$metadata.httpStatusCode).toBe(429);
    expect((error as TooManyRequestsException).Reason).toBe(
      'ReservedFunctionConcurrentInvocationLimitExceeded',
    );
    expect((await first).StatusCode).toBe(200);
  });
});
