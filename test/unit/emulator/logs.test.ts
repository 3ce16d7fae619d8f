/** Lambda's log lines, the log tail of X-Amz-Log-Result, line splitting and rendering. */
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import {
  billedDurationMs,
  endLine,
  reportLine,
  startLine,
  timeoutMessage,
} from '../../../src/emulator/logs/format.js';
import { LineSplitter } from '../../../src/emulator/logs/line-splitter.js';
import {
  LineBatcher,
  logTail,
  renderHuman,
  renderJson,
} from '../../../src/emulator/logs/render.js';
import { LogSink, type LogEvent } from '../../../src/emulator/logs/sink.js';

describe('CloudWatch lines', () => {
  test("START / END / REPORT in Lambda's exact format", () => {
    expect(startLine('abc')).toBe('START RequestId: abc Version: $LATEST');
    expect(endLine('abc')).toBe('END RequestId: abc');
    expect(
      reportLine({
        requestId: 'abc',
        durationMs: 12.344,
        memorySizeMb: 128,
        maxMemoryUsedMb: 45.2,
        initDurationMs: 230.123,
      }),
    ).toBe(
      'REPORT RequestId: abc\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\tInit Duration: 230.12 ms',
    );
    expect(
      reportLine({
        requestId: 'abc',
        durationMs: 1000,
        memorySizeMb: 128,
        status: 'timeout',
        errorType: 'Sandbox.Timedout',
      }),
    ).toBe(
      'REPORT RequestId: abc\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\tMemory Size: 128 MB\tStatus: timeout\tError Type: Sandbox.Timedout',
    );
  });

  test('billing rounds up to whole milliseconds, at least 1', () => {
    expect(billedDurationMs(0.2)).toBe(1);
    expect(billedDurationMs(12.01)).toBe(13);
    expect(billedDurationMs(13)).toBe(13);
  });

  test('timeout message uses two decimals', () => {
    expect(timeoutMessage(30)).toBe('Task timed out after 30.00 seconds');
    expect(timeoutMessage(1)).toBe('Task timed out after 1.00 seconds');
  });
});

describe('log tail', () => {
  test('keeps the last 4 KB, cut on a UTF-8 boundary', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} é`);
    const tail = logTail(lines);
    expect(tail.length).toBeLessThanOrEqual(4096);
    const text = tail.toString('utf8');
    expect(text).not.toContain('\uFFFD');
    expect(text.endsWith('line 499 é\n')).toBe(true);
    expect(logTail(['a', 'b']).toString()).toBe('a\nb\n');
  });
});

describe('line splitter', () => {
  test('joins chunks, splits lines, strips CR, flushes the last partial line', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('hel');
    splitter.push('lo\r\nwor');
    splitter.push(Buffer.from([0xc3]));
    splitter.push(Buffer.from([0xa9, 0x0a]));
    splitter.push('tail');
    expect(lines).toEqual(['hello', 'woré']);
    splitter.end();
    expect(lines).toEqual(['hello', 'woré', 'tail']);
  });
});

describe('sink and renderers', () => {
  test('subscribers get timestamped events; a throwing subscriber does not break others', () => {
    const sink = new LogSink();
    const seen: LogEvent[] = [];
    sink.subscribe(() => {
      throw new Error('closed terminal');
    });
    const unsubscribe = sink.subscribe((event) => seen.push(event));
    sink.emit({
      functionName: 'api',
      requestId: 'r1',
      kind: 'output',
      stream: 'stdout',
      message: 'hi',
    });
    unsubscribe();
    sink.emit({ functionName: 'api', kind: 'output', message: 'ignored' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(renderHuman(seen[0]!, { prefixWidth: 6 })).toBe('[api   ] hi');
    expect(JSON.parse(renderJson(seen[0]!))).toMatchObject({
      functionName: 'api',
      requestId: 'r1',
      kind: 'output',
      stream: 'stdout',
      message: 'hi',
    });
    expect(
      renderHuman({ ...seen[0]!, kind: 'platform', level: 'error', message: 'worker died' }),
    ).toBe('[api] ERROR: worker died');
  });
});

describe('LineBatcher', () => {
  const collector = () => {
    const writes: string[] = [];
    const out = new Writable({
      write: (chunk, _encoding, done) => (writes.push(chunk.toString()), done()),
    });
    return { writes, out };
  };

  test('lines of a few milliseconds leave in one write, in order', async () => {
    const { writes, out } = collector();
    const batch = new LineBatcher(out, 10);
    batch.write('START RequestId: a');
    batch.write('END RequestId: a');
    batch.write('REPORT RequestId: a');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(writes).toEqual(['START RequestId: a\nEND RequestId: a\nREPORT RequestId: a\n']);
  });

  test('flush() writes at once; 64 KB pending is written without waiting', () => {
    const { writes, out } = collector();
    const batch = new LineBatcher(out, 60_000);
    batch.write('one');
    batch.flush();
    expect(writes).toEqual(['one\n']);
    const big = 'x'.repeat(40 * 1024);
    batch.write(big);
    batch.write(big);
    expect(writes).toEqual(['one\n', `${big}\n${big}\n`]);
  });
});
