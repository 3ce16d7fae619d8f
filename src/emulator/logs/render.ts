/** Rendering log events for people (a per-function prefix) or machines (one JSON object per line). */
import type { LogEvent, LogSink } from './sink.js';

export type LogFormat = 'human' | 'json';

export interface RenderOptions {
  /** Width the function-name prefix is padded to, so columns line up across functions. */
  prefixWidth?: number;
}

export function renderHuman(event: LogEvent, options: RenderOptions = {}): string {
  const name = options.prefixWidth ? event.functionName.padEnd(options.prefixWidth) : event.functionName;
  const level = event.kind === 'platform' && event.level && event.level !== 'info' ? `${event.level.toUpperCase()}: ` : '';
  return `[${name}] ${level}${event.message}`;
}

export function renderJson(event: LogEvent): string {
  return JSON.stringify(event);
}

/** Write every event of the sink to a stream; returns the unsubscribe function. */
export function pipeLogs(sink: LogSink, out: NodeJS.WritableStream, format: LogFormat, options: RenderOptions = {}): () => void {
  return sink.subscribe((event) => {
    out.write(`${format === 'json' ? renderJson(event) : renderHuman(event, options)}\n`);
  });
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
