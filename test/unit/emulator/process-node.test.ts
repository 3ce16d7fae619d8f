/** Host-process workers running lbuild's Node bootstrap: ESM, CommonJS, callbacks, errors, crashes. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  startEmulator,
  type Emulator,
  type InvocationOutcome,
} from '../../../src/emulator/index.js';
import { fnDef, json, nodeFixtures, maxMemoryUsedMb } from './helpers.js';

let emu: Emulator;
const node = (name: string, handler: string, extra = {}) =>
  fnDef(name, handler, { runtimeName: 'nodejs20.x', ...extra });
const node24 = (name: string, handler: string) =>
  fnDef(name, handler, { runtimeName: 'nodejs24.x' });
const invoke = (functionName: string, payload: unknown = {}, clientContext?: string) =>
  emu.invoker.invoke({
    functionName,
    payload: Buffer.from(JSON.stringify(payload)),
    ...(clientContext ? { clientContext } : {}),
  });
const bodyOf = (outcome: InvocationOutcome): any => {
  if (outcome.kind !== 'succeeded' && outcome.kind !== 'function-error')
    throw new Error(`unexpected outcome ${outcome.kind}: ${outcome.logs.join('\n')}`);
  return json(outcome.body);
};

beforeAll(async () => {
  emu = await startEmulator({
    codeDir: nodeFixtures,
    functions: [
      node('esm', 'esm-pkg/app.handler'),
      node('esmBoom', 'esm-pkg/app.boom'),
      node('mjs', 'mjs.handler'),
      node('cjs', 'cjs/index.handler'),
      node('callback', 'cjs/index.callback'),
      node('callbackError', 'cjs/index.callbackError'),
      node('crash', 'cjs/index.crash'),
      node('spin', 'cjs/index.spin', { timeout: 1 }),
      node('bad', 'bad.handler'),
      node('missingModule', 'nothere.handler'),
      node('missingHandler', 'cjs/index.nope'),
      node('env', 'cjs/index.env'),
      node('grow', 'cjs/index.grow'),
      node('traceSeenByChild', 'cjs/index.traceSeenByChild'),
      node('context20', 'cjs/index.contextMembers'),
      node('asyncThreeParams20', 'cjs/index.asyncWithCallbackParam'),
      node24('callback24', 'cjs/index.callback'),
      node24('asyncThreeParams24', 'cjs/index.asyncWithCallbackParam'),
      node24('context24', 'cjs/index.contextMembers'),
      node24('esm24', 'esm-pkg/app.handler'),
      node24('cjs24', 'cjs/index.handler'),
    ],
  });
});
afterAll(async () => emu?.close());

describe('node process worker', () => {
  test('ESM ("type": "module") async handler with the context object', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { k: 'v' } })).toString('base64');
    const outcome = await invoke('esm', { n: 1 }, clientContext);
    const body = bodyOf(outcome);
    expect(body).toMatchObject({
      kind: 'esm',
      event: { n: 1 },
      requestId: outcome.requestId,
      functionName: 'esm',
      memoryLimitInMB: '128',
      clientCustom: { k: 'v' },
    });
    expect(body.arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:esm');
    expect(body.remaining).toBeGreaterThan(2000);
    expect(body.trace).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    // Lambda's console format: time, request id, level, message.
    expect(
      outcome.logs.some((line) =>
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\dT[^\\t]+\\t${outcome.requestId}\\tINFO\\thello from esm$`,
        ).test(line),
      ),
    ).toBe(true);
  });

  test('the Runtime API socket hint stays out of function code; REPORT counts what the function allocates', async () => {
    expect(bodyOf(await invoke('env'))).toEqual({ lbuildVars: [] });
    const outcome = await invoke('grow', { mb: 96 });
    expect(bodyOf(outcome)).toBe(96 * 1024 * 1024);
    expect(maxMemoryUsedMb(outcome)).toBeGreaterThanOrEqual(96);
    expect(maxMemoryUsedMb(outcome)).toBeLessThan(400);
  });

  test("each invocation's _X_AMZN_TRACE_ID is in process.env, its keys, and a child process's environment", async () => {
    for (const traceId of [
      'Root=1-5e1b4151-5ac6c58f5b5dbd6a2f6f1a2b;Parent=53995c3f42cd8ad8;Sampled=1',
      'Root=1-5e1b4152-000000000000000000000001;Parent=0000000000000001;Sampled=0',
    ]) {
      const outcome = await emu.invoker.invoke({
        functionName: 'traceSeenByChild',
        payload: Buffer.from('{}'),
        traceId,
      });
      expect(bodyOf(outcome)).toEqual({ own: traceId, listed: true, child: traceId });
    }
  });

  test('a client context written over several lines reaches the function intact', async () => {
    const clientContext = Buffer.from('{\n  "custom": {"k": "multi"}\r\n}\n').toString('base64');
    expect(bodyOf(await invoke('esm', {}, clientContext)).clientCustom).toEqual({ k: 'multi' });
  });

  test('.mjs and CommonJS handlers', async () => {
    expect(bodyOf(await invoke('mjs', { a: 1 }))).toEqual({ kind: 'mjs', event: { a: 1 } });
    expect(bodyOf(await invoke('cjs', { b: 2 }))).toEqual({ kind: 'cjs', event: { b: 2 } });
  });

  test('callback handlers: result and error', async () => {
    const ok = await invoke('callback');
    expect(bodyOf(ok)).toEqual({ kind: 'callback', requestId: ok.requestId });
    const failed = await invoke('callbackError');
    expect(failed.kind === 'function-error' && failed.errorType).toBe('TypeError');
    expect(bodyOf(failed)).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
  });

  test("nodejs24.x rejects callback handlers at init with Lambda's error; nodejs20.x runs them", async () => {
    for (const name of ['callback24', 'asyncThreeParams24']) {
      const outcome = await invoke(name);
      expect(outcome.kind === 'function-error' && outcome.errorType).toBe(
        'Runtime.CallbackHandlerDeprecated',
      );
      expect(bodyOf(outcome).errorMessage).toBe(
        'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.',
      );
    }
    expect(bodyOf(await invoke('asyncThreeParams20'))).toEqual({ kind: 'async-3' });
  });

  test('nodejs24.x: ESM and CommonJS async handlers work; the context has no callback-era members', async () => {
    expect(bodyOf(await invoke('esm24'))).toMatchObject({ kind: 'esm' });
    expect(bodyOf(await invoke('cjs24', { n: 2 }))).toEqual({ kind: 'cjs', event: { n: 2 } });
    expect(bodyOf(await invoke('context24'))).toEqual({
      callbackWaitsForEmptyEventLoop: false,
      succeed: 'undefined',
      node: 'AWS_Lambda_nodejs24.x',
    });
    expect(bodyOf(await invoke('context20'))).toEqual({
      callbackWaitsForEmptyEventLoop: true,
      succeed: 'function',
      node: 'AWS_Lambda_nodejs20.x',
    });
  });

  test('a thrown error → errorType = error name, with Node\'s "trace" list', async () => {
    const outcome = await invoke('esmBoom');
    expect(outcome.kind === 'function-error' && outcome.errorType).toBe('PaymentError');
    const body = bodyOf(outcome);
    expect(body.errorMessage).toBe('card declined');
    expect(body.trace[0]).toBe('PaymentError: card declined');
    expect(body.trace.join('\n')).toContain('app.js');
  });

  test('import failures → Runtime.ImportModuleError; missing export → Runtime.HandlerNotFound', async () => {
    const bad = await invoke('bad');
    expect(bad.kind === 'function-error' && bad.errorType).toBe('Runtime.ImportModuleError');
    expect(bodyOf(bad).errorMessage).toContain("Cannot find module 'no-such-package-anywhere'");
    const missingModule = await invoke('missingModule');
    expect(missingModule.kind === 'function-error' && missingModule.errorType).toBe(
      'Runtime.ImportModuleError',
    );
    const missingHandler = await invoke('missingHandler');
    expect(missingHandler.kind === 'function-error' && missingHandler.errorType).toBe(
      'Runtime.HandlerNotFound',
    );
    expect(bodyOf(missingHandler).errorMessage).toBe('cjs/index.nope is undefined or not exported');
  });

  test('process.exit mid-invocation → Runtime.ExitError, next request served', async () => {
    const outcome = await invoke('crash');
    expect(outcome.kind === 'worker-exited' && outcome.exitCode).toBe(7);
    expect((await invoke('cjs')).kind).toBe('succeeded');
    expect((await invoke('crash')).kind).toBe('worker-exited');
  });

  test('an infinite loop → timed-out after 1 s, next request served', async () => {
    const outcome = await invoke('spin');
    expect(outcome.kind).toBe('timed-out');
    expect(outcome.logs.some((line) => line.endsWith('Task timed out after 1.00 seconds'))).toBe(
      true,
    );
    expect((await invoke('spin')).kind).toBe('timed-out');
  });
});
