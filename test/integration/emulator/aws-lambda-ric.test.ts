/**
 * AWS's own Node runtime interface client (aws-lambda-ric, what runs inside AWS's Lambda images)
 * as a worker against lbuild's Runtime API: proof that the API is the real protocol, not just what
 * lbuild's bootstrap happens to expect.
 *
 * Its install compiles C++ (needs autoconf, automake, libtool; about 2-3 minutes), so it is cached
 * under ~/.cache/lbuild-test/aws-lambda-ric-<version>. The test runs when that cache exists, or when
 * LBUILD_TEST_RIC=1 (which installs it first); otherwise it is skipped.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import {
  startEmulator,
  type Emulator,
  type InvocationOutcome,
} from '../../../src/emulator/index.js';
import { fnDef, json, nodeFixtures, initMs } from '../../unit/emulator/helpers.js';
import { installRic, ricInstalled, ricPackage, ricVersion } from '../../support/aws-lambda-ric.mjs';
import { optInGate } from '../../support/gates.js';

const installed = ricInstalled();
const gate = optInGate(
  installed,
  'LBUILD_TEST_RIC',
  `aws-lambda-ric ${ricVersion} is not installed`,
);

const bodyOf = (outcome: InvocationOutcome): any => {
  if (outcome.kind !== 'succeeded' && outcome.kind !== 'function-error')
    throw new Error(`unexpected ${outcome.kind}:\n${outcome.logs.join('\n')}`);
  return json(outcome.body);
};

describe.skipIf(gate.skipReason)(
  `aws-lambda-ric ${ricVersion} against lbuild's Runtime API`,
  () => {
    let emu: Emulator;
    const node = (name: string, handler: string, extra = {}) =>
      fnDef(name, handler, { runtimeName: 'nodejs20.x', ...extra });
    const invoke = (functionName: string, payload: unknown = {}) =>
      emu.invoker.invoke({ functionName, payload: Buffer.from(JSON.stringify(payload)) });

    beforeAll(async () => {
      if (!installed) await installRic();
      emu = await startEmulator({
        codeDir: nodeFixtures,
        runtimeCommand: (_fn, handler) => ({
          command: process.execPath,
          args: [join(ricPackage, 'bin', 'index.mjs'), handler],
        }),
        functions: [
          node('esm', 'esm-pkg/app.handler'),
          node('boom', 'esm-pkg/app.boom'),
          node('callback', 'cjs/index.callback'),
          node('missing', 'nothere.handler'),
          node('spin', 'cjs/index.spin', { timeout: 1 }),
          node('jsonLogs', 'logging.handler', {
            logging: { format: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'INFO' },
          }),
        ],
      });
    });
    afterAll(async () => emu?.close());

    test('an ESM handler returns its result with the right context', async () => {
      const outcome = await invoke('esm', { via: 'ric' });
      const body = bodyOf(outcome);
      expect(body).toMatchObject({
        kind: 'esm',
        event: { via: 'ric' },
        requestId: outcome.requestId,
        functionName: 'esm',
        memoryLimitInMB: '128',
      });
      expect(body.remaining).toBeGreaterThan(1000);
      expect(body.trace).toMatch(/^Root=1-/);
      expect(initMs(outcome)).toBeGreaterThan(0);
      expect(
        outcome.logs.some((line) => line.includes(`${outcome.requestId}\tINFO\thello from esm`)),
      ).toBe(true);
      const warm = await invoke('esm', { n: 2 });
      expect(bodyOf(warm).event).toEqual({ n: 2 });
      expect(initMs(warm)).toBeUndefined();
    });

    test("a thrown error reaches us through ric's native client as errorType + trace", async () => {
      const outcome = await invoke('boom');
      expect(outcome.kind === 'function-error' && outcome.errorType).toBe('PaymentError');
      expect(bodyOf(outcome)).toMatchObject({
        errorType: 'PaymentError',
        errorMessage: 'card declined',
      });
    });

    test('callback handlers work under ric', async () => {
      const outcome = await invoke('callback');
      expect(bodyOf(outcome)).toEqual({ kind: 'callback', requestId: outcome.requestId });
    });

    test('a missing module is reported through /runtime/init/error as Runtime.ImportModuleError', async () => {
      const outcome = await invoke('missing');
      expect(outcome.kind === 'function-error' && outcome.errorType).toBe(
        'Runtime.ImportModuleError',
      );
    });

    test("ric honours AWS_LAMBDA_LOG_FORMAT/LEVEL the way lbuild's bootstrap does", async () => {
      const outcome = await invoke('jsonLogs');
      expect(bodyOf(outcome)).toEqual({ format: 'JSON', level: 'WARN' });
      const records = outcome.logs
        .filter((line) => line.startsWith('{"timestamp"'))
        .map((line) => JSON.parse(line));
      expect(records.map((r) => r.level)).toEqual(['WARN', 'ERROR', 'ERROR']);
      expect(records.every((r) => r.requestId === outcome.requestId)).toBe(true);
      expect(records[1]).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
      expect(records[2].message).toEqual({ orderId: 7, status: 'late' });
    });

    test('a timeout stops ric and the next invocation gets a fresh one', async () => {
      expect((await invoke('spin')).kind).toBe('timed-out');
      expect((await invoke('spin')).kind).toBe('timed-out');
    });
  },
);
