/**
 * Every log line of the emulator flows through one LogSink: function output attributed to the
 * request in flight on its worker, and the platform's START/END/REPORT lines. The CLI (lbuild serve,
 * lbuild logs) subscribes and renders; the Invoke API reads the lines an invocation collected.
 */

export type LogKind = 'output' | 'start' | 'end' | 'report' | 'platform';

export interface LogEvent {
  /** ISO 8601 time the line was seen. */
  time: string;
  functionName: string;
  workerId?: string;
  /** The invocation the line belongs to; absent for output outside any invocation (init). */
  requestId?: string;
  kind: LogKind;
  /** Which stream of the worker a function line came from. */
  stream?: 'stdout' | 'stderr';
  /** Platform messages about workers (started, timed out, out of memory) carry a level. */
  level?: 'info' | 'warn' | 'error';
  message: string;
}

export type LogListener = (event: LogEvent) => void;

/** An invocation's lines share their millisecond: format the time once per millisecond. */
let clockMs = -1;
let clockIso = '';
function isoNow(): string {
  const now = Date.now();
  if (now !== clockMs) {
    clockMs = now;
    clockIso = new Date(now).toISOString();
  }
  return clockIso;
}

export class LogSink {
  private readonly listeners = new Set<LogListener>();

  /** Returns the unsubscribe function. */
  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: Omit<LogEvent, 'time'> & { time?: string }): LogEvent {
    const full: LogEvent = { ...event, time: event.time ?? isoNow() };
    for (const listener of this.listeners) {
      try {
        listener(full);
      } catch {
        // A broken subscriber (closed terminal) must not break invocations.
      }
    }
    return full;
  }
}
