/**
 * Host-process workers running lbuild's Python bootstrap with the host's python3: the runtime
 * contract end to end (results, context, every error type, crashes, timeouts, size limits).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  startEmulator,
  type Emulator,
  type InvocationOutcome,
} from '../../../src/emulator/index.js';
import { fnDef, json, pythonFixtures, initMs, maxMemoryUsedMb } from './helpers.js';

let emu: Emulator;
const invoke = (
  functionName: string,
  payload: unknown = {},
  extra: { clientContext?: string; traceId?: string } = {},
) => emu.invoker.invoke({ functionName, payload: Buffer.from(JSON.stringify(payload)), ...extra });

function bodyOf(outcome: InvocationOutcome): any {
  if (outcome.kind !== 'succeeded' && outcome.kind !== 'function-error')
    throw new Error(`unexpected outcome ${outcome.kind}`);
  return json(outcome.body);
}

beforeAll(async () => {
  emu = await startEmulator({
    codeDir: pythonFixtures,
    functions: [
      fnDef('echo', 'handlers.echo', {
        environment: { GREETING: 'hi', AWS_REGION: 'user-cannot-override' },
      }),
      fnDef('nested', 'src/nested.main'),
      fnDef('boom', 'handlers.boom'),
      fnDef('badImport', 'bad_import.handler'),
      fnDef('missing', 'handlers.nope'),
      fnDef('malformed', 'handlers'),
      fnDef('exit', 'handlers.exit_now'),
      fnDef('spin', 'handlers.spin', { timeout: 1 }),
      fnDef('big', 'handlers.big'),
      fnDef('notJson', 'handlers.not_json'),
      fnDef('grow', 'handlers.grow'),
      fnDef('wsgi', 'wsgi:web_app.app'),
      fnDef('asgi', 'asgi:web_app.asgi_app'),
    ],
  });
});
afterAll(async () => emu?.close());

describe('python process worker', () => {
  test('returns the handler result and fills the context like awslambdaric', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: 't1' } })).toString(
      'base64',
    );
    const outcome = await invoke(
      'echo',
      { a: 1 },
      {
        clientContext,
        traceId: 'Root=1-5e1b4151-5ac6c58f5b5dbd6a2f6f1a2b;Parent=53995c3f42cd8ad8;Sampled=1',
      },
    );
    expect(outcome.kind).toBe('succeeded');
    const body = bodyOf(outcome);
    expect(body.event).toEqual({ a: 1 });
    expect(body.request_id).toBe(outcome.requestId);
    expect(body.function_name).toBe('echo');
    expect(body.function_version).toBe('$LATEST');
    expect(body.invoked_function_arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:echo');
    expect(body.memory_limit_in_mb).toBe('128');
    expect(body.log_group_name).toBe('/aws/lambda/echo');
    expect(body.log_stream_name).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(body.remaining_ms).toBeGreaterThan(2000);
    expect(body.remaining_ms).toBeLessThanOrEqual(3000);
    expect(body.client_context_custom).toEqual({ tenant: 't1' });
    expect(body.trace_id).toBe(
      'Root=1-5e1b4151-5ac6c58f5b5dbd6a2f6f1a2b;Parent=53995c3f42cd8ad8;Sampled=1',
    );
    expect(body.env).toMatchObject({
      GREETING: 'hi',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'echo',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_EXECUTION_ENV: 'AWS_Lambda_python3.11',
      _HANDLER: 'handlers.echo',
      TZ: ':UTC',
      LAMBDA_TASK_ROOT: pythonFixtures,
    });
    expect(body.env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
    // lbuild's private transport hint (the Runtime API's Unix socket) never reaches function code.
    expect(body.lbuild_vars).toEqual([]);
    expect(initMs(outcome)).toBeGreaterThan(0);
    expect(outcome.logs[0]).toBe(`START RequestId: ${outcome.requestId} Version: $LATEST`);
    expect(outcome.logs).toContain('hello from python');
    expect(outcome.logs.at(-2)).toBe(`END RequestId: ${outcome.requestId}`);
    expect(outcome.logs.at(-1)).toMatch(
      /^REPORT RequestId: \S+\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms$/,
    );
  });

  test("REPORT's Max Memory Used follows what the function allocates", async () => {
    const outcome = await invoke('grow', { mb: 96 });
    expect(bodyOf(outcome)).toBe(96 * 1024 * 1024);
    expect(maxMemoryUsedMb(outcome)).toBeGreaterThanOrEqual(96);
    expect(maxMemoryUsedMb(outcome)).toBeLessThan(400);
  });

  test('reuses the warm worker: no Init Duration, module state kept', async () => {
    const outcome = await invoke('echo', { a: 2 });
    expect(outcome.kind).toBe('succeeded');
    expect(initMs(outcome)).toBeUndefined();
    expect(bodyOf(outcome).calls).toBe(2);
    expect(outcome.logs.at(-1)).not.toContain('Init Duration');
  });

  test('nested handler paths (src/nested.main)', async () => {
    expect(bodyOf(await invoke('nested'))).toEqual({ nested: true });
  });

  test('an exception becomes errorType = class name with a stackTrace from user code', async () => {
    const outcome = await invoke('boom');
    expect(outcome.kind).toBe('function-error');
    const body = bodyOf(outcome);
    expect(body.errorType).toBe('OrderError');
    expect(body.errorMessage).toBe('order 42 is invalid');
    expect(body.stackTrace[0]).toContain('handlers.py');
    expect(body.stackTrace[0]).toContain('in boom');
    expect(outcome.logs.join('\n')).toContain('[ERROR] OrderError: order 42 is invalid');
  });

  test('import failure → Runtime.ImportModuleError via /init/error', async () => {
    const outcome = await invoke('badImport');
    expect(outcome.kind).toBe('function-error');
    if (outcome.kind !== 'function-error') return;
    expect(outcome.errorType).toBe('Runtime.ImportModuleError');
    expect(bodyOf(outcome).errorMessage).toBe(
      "Unable to import module 'bad_import': No module named 'module_that_does_not_exist'",
    );
    // The environment is reset after an init error: the next call starts (and fails) afresh.
    const again = await invoke('badImport');
    expect(again.kind === 'function-error' && again.errorType).toBe('Runtime.ImportModuleError');
    expect(initMs(again)).toBeDefined();
  });

  test('missing handler → Runtime.HandlerNotFound; malformed name → Runtime.MalformedHandlerName', async () => {
    const missing = await invoke('missing');
    expect(missing.kind === 'function-error' && missing.errorType).toBe('Runtime.HandlerNotFound');
    expect(bodyOf(missing).errorMessage).toBe("Handler 'nope' missing on module 'handlers'");
    const malformed = await invoke('malformed');
    expect(malformed.kind === 'function-error' && malformed.errorType).toBe(
      'Runtime.MalformedHandlerName',
    );
  });

  test('an unserialisable result → Runtime.MarshalError', async () => {
    const outcome = await invoke('notJson');
    expect(outcome.kind === 'function-error' && outcome.errorType).toBe('Runtime.MarshalError');
  });

  test('the process exiting mid-invocation → Runtime.ExitError, and the next request is served', async () => {
    const outcome = await invoke('exit');
    expect(outcome.kind).toBe('worker-exited');
    if (outcome.kind !== 'worker-exited') return;
    expect(outcome.exitCode).toBe(3);
    expect(outcome.logs).toContain('about to exit');
    expect(outcome.logs).toContain(
      `RequestId: ${outcome.requestId} Error: Runtime exited with error: exit status 3`,
    );
    expect(outcome.logs).toContain('Runtime.ExitError');
    expect(outcome.logs.at(-1)).toMatch(/Status: error\tError Type: Runtime\.ExitError$/);
    const next = await invoke('exit');
    expect(next.kind).toBe('worker-exited');
    expect(initMs(next)).toBeDefined();
  });

  test('an infinite loop → Sandbox.Timedout after the configured timeout, then the next request is served', async () => {
    const started = Date.now();
    const outcome = await invoke('spin');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome.kind).toBe('timed-out');
    expect(
      outcome.logs.some((line) =>
        line.endsWith(`${outcome.requestId} Task timed out after 1.00 seconds`),
      ),
    ).toBe(true);
    expect(outcome.logs.at(-1)).toMatch(/Duration: 1000\.00 ms.*Status: timeout/);
    const { platformErrorPayload } = await import('../../../src/emulator/index.js');
    expect(platformErrorPayload(outcome)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${outcome.requestId} Error: Task timed out after 1.00 seconds`,
    });
    const next = await invoke('spin');
    expect(next.kind).toBe('timed-out');
    expect(initMs(next)).toBeDefined();
  });

  test('a response over 6 MB → response-too-large (Function.ResponseSizeTooLarge), worker stays usable', async () => {
    const outcome = await invoke('big');
    expect(outcome.kind).toBe('response-too-large');
    if (outcome.kind !== 'response-too-large') return;
    expect(outcome.bytes).toBe(7 * 1024 * 1024 + 2);
    const again = await invoke('big');
    expect(again.kind).toBe('response-too-large');
    expect(initMs(again)).toBeUndefined();
  });

  test('recycle drops warm workers (hot reload)', async () => {
    await invoke('echo');
    expect(emu.invoker.stats('echo')?.idle).toBe(1);
    await emu.invoker.recycle('echo');
    expect(emu.invoker.stats('echo')?.idle).toBe(0);
    const outcome = await invoke('echo');
    expect(initMs(outcome)).toBeDefined();
    expect(bodyOf(outcome).calls).toBe(1);
  });

  test('wsgi: and asgi: prefixes wrap the app with lbuild_adapters', async () => {
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/hello',
      rawQueryString: '',
      headers: { host: 'localhost' },
      requestContext: {
        http: { method: 'GET', path: '/hello', sourceIp: '127.0.0.1' },
        stage: '$default',
      },
      isBase64Encoded: false,
    };
    const wsgi = bodyOf(await invoke('wsgi', event));
    expect(wsgi).toMatchObject({ statusCode: 200, body: 'wsgi GET /hello' });
    const asgi = bodyOf(
      await invoke('asgi', {
        ...event,
        requestContext: {
          ...event.requestContext,
          http: { ...event.requestContext.http, method: 'POST' },
        },
      }),
    );
    expect(asgi).toMatchObject({ statusCode: 201, body: 'asgi POST /hello' });
  });

  test('unknown function → unknown-function outcome', async () => {
    expect((await invoke('nobody')).kind).toBe('unknown-function');
  });
});
