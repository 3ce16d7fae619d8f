/** The pure parts of Lambda's logging controls: JSON platform lines, readable rendering, filters. */
import { describe, expect, test } from 'vitest';
import { reportLine, type ReportFacts } from '../../../src/emulator/logs/format.js';
import { eventMatches, eventLevel } from '../../../src/emulator/logs/log-filter.js';
import {
  applicationLineShown,
  lineLevel,
  lineRequestId,
} from '../../../src/emulator/logs/line-facts.js';
import { platformEventShown } from '../../../src/emulator/logs/log-levels.js';
import {
  reportJson,
  runtimeDoneJson,
  startJson,
} from '../../../src/emulator/logs/platform-json.js';
import { readableMessage } from '../../../src/emulator/logs/readable.js';
import { renderHuman } from '../../../src/emulator/logs/render.js';
import type { LogEvent } from '../../../src/emulator/logs/sink.js';
import { serveLogEvent } from '../../../src/serve/serve-log-line.js';

const at = new Date('2025-01-02T03:04:05.678Z');
const cold: ReportFacts = {
  requestId: 'r-1',
  durationMs: 12.34567,
  memorySizeMb: 256,
  maxMemoryUsedMb: 70.6,
  initDurationMs: 180.1234,
};

describe('JSON platform lines', () => {
  test('platform.start and platform.report carry the same facts as START and REPORT', () => {
    expect(
      JSON.parse(startJson('r-1', 'arn:aws:lambda:us-east-1:000000000000:function:f', at)),
    ).toEqual({
      time: '2025-01-02T03:04:05.678Z',
      type: 'platform.start',
      record: {
        requestId: 'r-1',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        version: '$LATEST',
      },
    });
    expect(JSON.parse(reportJson(cold, at))).toEqual({
      time: '2025-01-02T03:04:05.678Z',
      type: 'platform.report',
      record: {
        requestId: 'r-1',
        metrics: {
          durationMs: 12.346,
          billedDurationMs: 13,
          memorySizeMB: 256,
          maxMemoryUsedMB: 71,
          initDurationMs: 180.123,
        },
        status: 'success',
      },
    });
    const warm = JSON.parse(
      reportJson({
        requestId: 'r-2',
        durationMs: 1000,
        memorySizeMb: 128,
        status: 'timeout',
        errorType: 'Sandbox.Timedout',
      }),
    );
    expect(warm.record).toEqual({
      requestId: 'r-2',
      metrics: { durationMs: 1000, billedDurationMs: 1000, memorySizeMB: 128 },
      status: 'timeout',
      errorType: 'Sandbox.Timedout',
    });
  });

  test('rendered for a terminal, JSON platform lines read as the text format', () => {
    expect(readableMessage(reportJson(cold))).toBe(
      reportLine({ ...cold, maxMemoryUsedMb: 71, durationMs: 12.346, initDurationMs: 180.123 }),
    );
    expect(readableMessage(startJson('r-1', 'arn'))).toBe('START RequestId: r-1 Version: $LATEST');
    expect(readableMessage(runtimeDoneJson({ ...cold, status: 'timeout' }))).toBe(
      'END RequestId: r-1\tStatus: timeout',
    );
  });

  test('system levels: start and report are INFO, runtimeDone DEBUG', () => {
    expect(platformEventShown('platform.report', 'INFO')).toBe(true);
    expect(platformEventShown('platform.report', 'WARN')).toBe(false);
    expect(platformEventShown('platform.runtimeDone', 'INFO')).toBe(false);
    expect(platformEventShown('platform.runtimeDone', 'DEBUG')).toBe(true);
    expect(platformEventShown('platform.logsDropped', 'WARN')).toBe(true);
  });
});

describe('readable application records', () => {
  test("Node's record in the text layout; an error argument below it", () => {
    const line = JSON.stringify({
      timestamp: '2025-01-02T03:04:05.678Z',
      level: 'ERROR',
      requestId: 'r-1',
      message: 'failed TypeError: bad',
      errorType: 'TypeError',
      errorMessage: 'bad',
      stackTrace: ['TypeError: bad', '    at handler (index.js:1:1)'],
    });
    expect(readableMessage(line)).toBe(
      '2025-01-02T03:04:05.678Z\tr-1\tERROR\tfailed TypeError: bad\nTypeError: bad\n    at handler (index.js:1:1)',
    );
    const error = JSON.stringify({
      timestamp: 't',
      level: 'ERROR',
      requestId: 'r-1',
      message: { errorType: 'RangeError', errorMessage: 'out', stackTrace: ['RangeError: out'] },
    });
    expect(readableMessage(error)).toBe('t\tr-1\tERROR\tRangeError: out\nRangeError: out');
    const object = JSON.stringify({
      timestamp: 't',
      level: 'INFO',
      requestId: 'r',
      message: { a: 1 },
    });
    expect(readableMessage(object)).toBe('t\tr\tINFO\t{"a":1}');
  });

  test("Python's record: extra fields follow the message; the exception is named above its traceback", () => {
    const failed = JSON.stringify({
      timestamp: 't',
      level: 'ERROR',
      message: 'failed',
      logger: 'root',
      requestId: 'r-1',
      errorType: 'ZeroDivisionError',
      errorMessage: 'division by zero',
      stackTrace: ['  File "app.py", line 3, in handler\n    1 / 0\n'],
    });
    expect(readableMessage(failed)).toBe(
      't\tr-1\tERROR\tfailed\nZeroDivisionError: division by zero\n  File "app.py", line 3, in handler\n    1 / 0',
    );
    const line = JSON.stringify({
      timestamp: 't',
      level: 'WARNING',
      message: 'late',
      logger: 'orders',
      requestId: 'r-1',
      orderId: 7,
    });
    expect(readableMessage(line)).toBe('t\tr-1\tWARNING\tlate {"orderId":7}');
  });

  test('anything else is left as it is, and the prefix stays', () => {
    expect(readableMessage('plain {"not": json')).toBe('plain {"not": json');
    expect(readableMessage('{"some":"object"}')).toBe('{"some":"object"}');
    const event: LogEvent = {
      time: 't',
      functionName: 'api',
      kind: 'start',
      message: startJson('r', 'arn'),
    };
    expect(renderHuman(event, { prefixWidth: 5 })).toBe(
      '[api  ] START RequestId: r Version: $LATEST',
    );
  });
});

describe('levels and request ids of lines', () => {
  test("read from JSON records, platform events and both runtimes' text layouts", () => {
    expect(lineLevel('{"level":"WARNING","message":"x"}')).toBe('WARN');
    expect(lineLevel('{"level":"CRITICAL","message":"x"}')).toBe('FATAL');
    expect(lineLevel(reportJson(cold))).toBe('INFO');
    expect(lineLevel(runtimeDoneJson(cold))).toBe('DEBUG');
    expect(lineLevel('2025-01-02T03:04:05.678Z\tr-9\tDEBUG\thello')).toBe('DEBUG');
    expect(lineLevel('[ERROR]\t2025-01-02T03:04:05.678Z\tr-9\tboom')).toBe('ERROR');
    expect(lineLevel('[ERROR] ValueError: bad')).toBe('ERROR');
    expect(lineLevel('START RequestId: r-9 Version: $LATEST')).toBe('INFO');
    expect(lineLevel('print output')).toBeUndefined();
    expect(lineRequestId('2025-01-02T03:04:05.678Z\tr-9\tINFO\thello')).toBe('r-9');
    expect(lineRequestId('2025-01-02T03:04:05.678Z\tundefined\tINFO\tinit')).toBeUndefined();
    expect(lineRequestId('[INFO]\t2025-01-02T03:04:05.678Z\tr-8\thello')).toBe('r-8');
    expect(lineRequestId(reportJson(cold))).toBe('r-1');
    expect(lineRequestId('{"level":"INFO","requestId":"r-7","message":"m"}')).toBe('r-7');
    expect(lineRequestId('REPORT RequestId: r-6\tDuration: 1.00 ms')).toBe('r-6');
  });

  test('the platform filters output without a level as INFO', () => {
    expect(applicationLineShown('print output', 'INFO')).toBe(true);
    expect(applicationLineShown('print output', 'WARN')).toBe(false);
    expect(applicationLineShown('{"level":"DEBUG","message":"m"}', 'INFO')).toBe(false);
    expect(applicationLineShown('{"level":"ERROR","message":"m"}', 'WARN')).toBe(true);
  });

  test('event filters: level, request id (attributed or stated), function', () => {
    const base = { time: 't', functionName: 'api' } as const;
    const report: LogEvent = {
      ...base,
      kind: 'report',
      message: 'REPORT RequestId: r-1\tDuration: 1.00 ms',
    };
    const printed: LogEvent = { ...base, kind: 'output', requestId: 'r-1', message: 'hello' };
    const warning: LogEvent = {
      ...base,
      kind: 'platform',
      level: 'warn',
      message: 'came close to its timeout',
    };
    const timeout: LogEvent = {
      ...base,
      kind: 'platform',
      requestId: 'r-1',
      message: '2025-01-02T03:04:05.678Z r-1 Task timed out after 3.00 seconds',
    };
    expect([report, printed, warning, timeout].map(eventLevel)).toEqual([
      'INFO',
      'INFO',
      'WARN',
      'ERROR',
    ]);
    expect(eventMatches(report, { level: 'WARN' })).toBe(false);
    expect(eventMatches(warning, { level: 'WARN' })).toBe(true);
    expect(eventMatches(report, { requestId: 'r-1' })).toBe(true);
    expect(eventMatches(printed, { requestId: 'r-1' })).toBe(true);
    expect(eventMatches(printed, { requestId: 'r-2' })).toBe(false);
    expect(eventMatches(printed, { functionName: 'other' })).toBe(false);
    expect(eventMatches(timeout, { level: 'ERROR', requestId: 'r-1', functionName: 'api' })).toBe(
      true,
    );
  });
});

describe('serve log lines read back', () => {
  test('JSON events, "[fn] message" lines (coloured or not), and lines that are no event', () => {
    const event: LogEvent = {
      time: 't',
      functionName: 'api',
      kind: 'output',
      requestId: 'r',
      message: 'hi',
    };
    expect(serveLogEvent(JSON.stringify(event))).toEqual(event);
    expect(serveLogEvent('[api     ] hello world')).toMatchObject({
      functionName: 'api',
      kind: 'output',
      message: 'hello world',
    });
    expect(serveLogEvent('\x1b[36m[api     ]\x1b[0m WARN: slow')).toMatchObject({
      functionName: 'api',
      kind: 'platform',
      level: 'warn',
      message: 'slow',
    });
    expect(serveLogEvent('{"ready":true,"api":"http://127.0.0.1:3000"}')).toBeUndefined();
    expect(serveLogEvent('✔ app is running')).toBeUndefined();
  });
});
