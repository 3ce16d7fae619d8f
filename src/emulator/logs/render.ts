/**
 * Rendering log events for people (a per-function prefix; JSON log lines made readable) or
 * machines (one JSON object per line, the function's line untouched inside it).
 */
import { readableMessage } from './readable.js';
import type { LogEvent, LogSink } from './sink.js';

export type LogFormat = 'human' | 'json';

export interface RenderOptions {
  /** Width the function-name prefix is padded to, so columns line up across functions. */
  prefixWidth?: number;
}

export function renderHuman(event: LogEvent, options: RenderOptions = {}): string {
  const name = options.prefixWidth
    ? event.functionName.padEnd(options.prefixWidth)
    : event.functionName;
  const level =
    event.kind === 'platform' && event.level && event.level !== 'info'
      ? `${event.level.toUpperCase()}: `
      : '';
  return `[${name}] ${level}${readableMessage(event.message)}`;
}

export function renderJson(event: LogEvent): string {
  return JSON.stringify(event);
}

/**
 * Lines for a stream, written together: those of the next few milliseconds (an invocation's START,
 * END and REPORT, or the lines of many invocations under load) leave in one write. process.stdout
 * and stderr write synchronously to pipes and files, one system call (and one wake-up of the
 * reader) per write, which under load cost more than the rest of the logging. 10 ms is below what
 * anyone watching a terminal notices; 64 KB pending is written at once. Lines keep their order;
 * flush() writes what is pending now.
 */
export class LineBatcher {
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly delayMs = 10,
  ) {}

  write(line: string): void {
    this.pending.push(line);
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= 64 * 1024) return this.flush();
    // unref: pending log lines never keep a finished process alive (flush() on the way out).
    this.timer ??= setTimeout(() => this.flush(), this.delayMs).unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const text =
      this.pending.length === 1 ? `${this.pending[0]}\n` : `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingBytes = 0;
    this.out.write(text);
  }
}

/** Write every event of the sink to a stream; returns the unsubscribe function (which flushes). */
export function pipeLogs(
  sink: LogSink,
  out: NodeJS.WritableStream,
  format: LogFormat,
  options: RenderOptions = {},
): () => void {
  const batch = new LineBatcher(out);
  const unsubscribe = sink.subscribe((event) => {
    batch.write(format === 'json' ? renderJson(event) : renderHuman(event, options));
  });
  return () => {
    unsubscribe();
    batch.flush();
  };
}

/** The last `maxBytes` of an invocation's log, cut on a UTF-8 boundary: what X-Amz-Log-Result carries. */
export function logTail(lines: string[], maxBytes = 4096): Buffer {
  const all = Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');
  if (all.length <= maxBytes) return all;
  let start = all.length - maxBytes;
  // Skip UTF-8 continuation bytes so the tail decodes cleanly.
  while (start < all.length && ((all[start] ?? 0) & 0xc0) === 0x80) start++;
  return all.subarray(start);
}
