/**
 * Lambda's logging controls end to end on host-process workers: lbuild's real Node and Python
 * bootstraps with AWS_LAMBDA_LOG_FORMAT / AWS_LAMBDA_LOG_LEVEL from functions.<name>.logging, and
 * the emulator's platform lines in the same format. Text stays what it was.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResolvedLogging } from '../../../src/config/logging-config.js';
import {
  startEmulator,
  type Emulator,
  type InvocationOutcome,
} from '../../../src/emulator/index.js';
import { fnDef, json, nodeFixtures, pythonFixtures } from './helpers.js';

const jsonWarn: ResolvedLogging = {
  format: 'JSON',
  applicationLogLevel: 'WARN',
  systemLogLevel: 'INFO',
};

let node: Emulator;
let python: Emulator;
const invoke = (emu: Emulator, functionName: string, payload: unknown = {}) =>
  emu.invoker.invoke({ functionName, payload: Buffer.from(JSON.stringify(payload)) });

beforeAll(async () => {
  const nodeFn = (name: string, logging?: ResolvedLogging) =>
    fnDef(name, 'logging.handler', { runtimeName: 'nodejs20.x', ...(logging ? { logging } : {}) });
  const pythonFn = (name: string, logging?: ResolvedLogging) =>
    fnDef(name, 'logging_levels.handler', logging ? { logging } : {});
  [node, python] = await Promise.all([
    startEmulator({
      codeDir: nodeFixtures,
      functions: [
        nodeFn('jsonWarn', jsonWarn),
        nodeFn('text'),
        nodeFn('systemDebug', {
          format: 'JSON',
          applicationLogLevel: 'TRACE',
          systemLogLevel: 'DEBUG',
        }),
        nodeFn('systemWarn', { ...jsonWarn, systemLogLevel: 'WARN' }),
      ],
    }),
    startEmulator({
      codeDir: pythonFixtures,
      functions: [pythonFn('jsonWarn', jsonWarn), pythonFn('text')],
    }),
  ]);
});
afterAll(async () => Promise.all([node?.close(), python?.close()]));

/** Every line of the invocation parsed: a JSON log must hold nothing else. */
function parsedLines(outcome: InvocationOutcome): Array<Record<string, any>> {
  return outcome.logs.map((line) => {
    try {
      return JSON.parse(line) as Record<string, any>;
    } catch {
      throw new Error(`not a JSON line: ${line}\n${outcome.logs.join('\n')}`);
    }
  });
}
const applicationRecords = (lines: Array<Record<string, any>>) => lines.filter((l) => 'level' in l);
const platformEvent = (lines: Array<Record<string, any>>, type: string) =>
  lines.filter((l) => l.type === type);

function expectPlatformLines(
  lines: Array<Record<string, any>>,
  outcome: InvocationOutcome,
  cold: boolean,
) {
  expect(platformEvent(lines, 'platform.initStart')).toHaveLength(cold ? 1 : 0);
  const [start] = platformEvent(lines, 'platform.start');
  expect(start).toMatchObject({
    type: 'platform.start',
    record: { requestId: outcome.requestId, version: '$LATEST' },
  });
  expect(start!.record.functionArn).toMatch(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:/);
  expect(Date.parse(start!.time)).not.toBeNaN();
  const [report] = platformEvent(lines, 'platform.report');
  expect(report).toMatchObject({
    type: 'platform.report',
    record: { requestId: outcome.requestId, status: 'success', metrics: { memorySizeMB: 128 } },
  });
  const { metrics } = report!.record;
  expect(metrics.durationMs).toBeGreaterThan(0);
  expect(metrics.billedDurationMs).toBe(Math.max(1, Math.ceil(metrics.durationMs)));
  expect(metrics.maxMemoryUsedMB).toBeGreaterThan(1);
  if (cold) expect(metrics.initDurationMs).toBeGreaterThan(0);
  else expect(metrics).not.toHaveProperty('initDurationMs');
  // DEBUG at the default system level INFO: no runtimeDone.
  expect(platformEvent(lines, 'platform.runtimeDone')).toEqual([]);
}

describe('JSON log format, application level WARN', () => {
  test("Node: only WARN and above, in aws-lambda-ric's JSON shape with the request id", async () => {
    for (const cold of [true, false]) {
      const outcome = await invoke(node, 'jsonWarn');
      expect(outcome.kind).toBe('succeeded');
      if (outcome.kind !== 'succeeded') return;
      expect(json(outcome.body)).toEqual({ format: 'JSON', level: 'WARN' });
      const lines = parsedLines(outcome);
      const records = applicationRecords(lines);
      expect(records.map((r) => r.level)).toEqual(['WARN', 'ERROR', 'ERROR']);
      for (const record of records) {
        expect(record.requestId).toBe(outcome.requestId);
        expect(record.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      expect(records[0]!.message).toBe("warn line { disk: 'full' }");
      expect(records[1]).toMatchObject({
        message: expect.stringContaining('error line TypeError: bad input'),
        errorType: 'TypeError',
        errorMessage: 'bad input',
      });
      expect(records[1]!.stackTrace[0]).toBe('TypeError: bad input');
      // One object argument stays an object.
      expect(records[2]!.message).toEqual({ orderId: 7, status: 'late' });
      // The raw stdout line states no level: INFO, below WARN, so the platform leaves it out.
      expect(outcome.logs.join('\n')).not.toMatch(
        /trace line|debug line|log line|info line|raw stdout/,
      );
      expectPlatformLines(lines, outcome, cold);
    }
  });

  test('Node: a thrown error is one JSON ERROR line with errorType, errorMessage, stackTrace', async () => {
    const outcome = await invoke(node, 'jsonWarn', { fail: true });
    expect(outcome.kind).toBe('function-error');
    const lines = parsedLines(outcome);
    const failure = applicationRecords(lines).find((r) => r.message?.errorType === 'RangeError');
    expect(failure).toMatchObject({
      level: 'ERROR',
      requestId: outcome.requestId,
      message: { errorType: 'RangeError', errorMessage: 'out of range' },
    });
    expect(failure!.message.stackTrace[0]).toBe('RangeError: out of range');
  });

  test("Python: only WARNING and above, in awslambdaric's JSON shape with the request id", async () => {
    for (const cold of [true, false]) {
      const outcome = await invoke(python, 'jsonWarn');
      expect(outcome.kind).toBe('succeeded');
      if (outcome.kind !== 'succeeded') return;
      expect(json(outcome.body)).toEqual({ format: 'JSON', level: 'WARN' });
      const lines = parsedLines(outcome);
      const records = applicationRecords(lines);
      expect(records.map((r) => r.level)).toEqual(['WARNING', 'ERROR', 'CRITICAL']);
      for (const record of records) {
        expect(record.requestId).toBe(outcome.requestId);
        expect(record.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      expect(records[0]).toMatchObject({ message: 'warn line full', logger: 'orders' });
      expect(records[1]).toMatchObject({
        message: 'error line',
        logger: 'orders',
        errorType: 'ZeroDivisionError',
        errorMessage: 'division by zero',
        orderId: 7,
      });
      expect(records[1]!.location).toMatch(/logging_levels\.py:handler:\d+$/);
      expect(records[1]!.stackTrace.join('')).toContain('1 / 0');
      expect(records[2]).toMatchObject({ message: 'critical line', logger: 'root' });
      // print() is not converted; as a line without a level it is INFO, below WARN.
      expect(outcome.logs.join('\n')).not.toMatch(/debug line|info line|print line/);
      expectPlatformLines(lines, outcome, cold);
    }
  });

  test('Python: an unhandled exception is one JSON ERROR line', async () => {
    const outcome = await invoke(python, 'jsonWarn', { fail: true });
    expect(outcome.kind).toBe('function-error');
    const failure = applicationRecords(parsedLines(outcome)).find(
      (r) => r.errorType === 'ValueError',
    );
    expect(failure).toMatchObject({
      level: 'ERROR',
      errorMessage: 'bad value',
      requestId: outcome.requestId,
    });
    expect(failure!.stackTrace.join('')).toContain('raise ValueError');
  });
});

describe('system log level', () => {
  test('DEBUG adds platform.runtimeDone; TRACE lets every line through, plain ones as written', async () => {
    const outcome = await invoke(node, 'systemDebug');
    // A line written to stdout directly is not converted (as on Lambda) and passes at TRACE.
    expect(outcome.logs).toContain('raw stdout line');
    const lines = parsedLines({
      ...outcome,
      logs: outcome.logs.filter((line) => line !== 'raw stdout line'),
    });
    expect(platformEvent(lines, 'platform.runtimeDone')[0]).toMatchObject({
      record: { requestId: outcome.requestId, status: 'success' },
    });
    expect(applicationRecords(lines).map((r) => r.level)).toEqual([
      'TRACE',
      'DEBUG',
      'INFO',
      'INFO',
      'WARN',
      'ERROR',
      'ERROR',
    ]);
  });

  test('WARN leaves platform.start and platform.report out', async () => {
    const outcome = await invoke(node, 'systemWarn');
    const lines = parsedLines(outcome);
    expect(lines.filter((l) => 'type' in l)).toEqual([]);
    expect(applicationRecords(lines)).toHaveLength(3);
  });
});

describe('Text log format (the default) is unchanged', () => {
  test('Node: START, tab-separated console lines of every level, END, REPORT', async () => {
    const outcome = await invoke(node, 'text');
    if (outcome.kind !== 'succeeded') throw new Error(outcome.kind);
    expect(json(outcome.body)).toEqual({ format: 'Text' });
    const id = outcome.requestId;
    expect(outcome.logs[0]).toBe(`START RequestId: ${id} Version: $LATEST`);
    expect(outcome.logs.some((l) => l.endsWith(`\t${id}\tDEBUG\tdebug line`))).toBe(true);
    expect(outcome.logs.some((l) => l.endsWith(`\t${id}\tINFO\tinfo line 1`))).toBe(true);
    expect(outcome.logs).toContain('raw stdout line');
    expect(outcome.logs.at(-2)).toBe(`END RequestId: ${id}`);
    expect(outcome.logs.at(-1)).toMatch(
      new RegExp(
        `^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [\\d.]+ ms$`,
      ),
    );
  });

  test("Python: Lambda's [LEVEL] lines from WARNING (the root logger's default), print() as written", async () => {
    const outcome = await invoke(python, 'text');
    if (outcome.kind !== 'succeeded') throw new Error(outcome.kind);
    expect(json(outcome.body)).toEqual({ format: 'Text', level: null });
    const id = outcome.requestId;
    expect(outcome.logs).toContain(`START RequestId: ${id} Version: $LATEST`);
    expect(
      outcome.logs.some(
        (l) => /^\[WARNING\]\t\S+Z\t/.test(l) && l.endsWith(`\t${id}\twarn line full`),
      ),
    ).toBe(true);
    expect(outcome.logs.join('\n')).not.toContain('info line');
    expect(outcome.logs).toContain('print line');
    expect(outcome.logs.at(-1)).toMatch(/^REPORT RequestId: /);
  });
});
