/**
 * A line of the serve log read back as a log event. A detached serve writes one JSON event per
 * line; a log written by an earlier lbuild (or a foreground serve redirected to the file) has
 * "[function] message" lines. Anything else (the ready summary, build progress) is no event.
 */
import type { LogEvent } from '../emulator/index.js';

const kinds = new Set(['output', 'start', 'end', 'report', 'platform']);
const prefixed = /^\[([A-Za-z0-9_-]+)\s*\] (.*)$/s;

export function serveLogEvent(line: string): LogEvent | undefined {
  if (line.startsWith('{')) {
    try {
      const value = JSON.parse(line) as Partial<LogEvent>;
      if (
        typeof value.functionName === 'string' &&
        typeof value.message === 'string' &&
        kinds.has(value.kind as string)
      )
        return value as LogEvent;
    } catch {
      // not an event
    }
    return undefined;
  }
  // eslint-disable-next-line no-control-regex -- a TTY's colour codes around the prefix
  const match = prefixed.exec(line.replace(/\x1b\[[0-9;]*m/g, ''));
  if (!match) return undefined;
  const [, functionName, rest] = match as unknown as [string, string, string];
  const warning = /^(WARN|ERROR): (.*)$/s.exec(rest);
  return {
    time: '',
    functionName,
    kind: warning ? 'platform' : 'output',
    ...(warning ? { level: warning[1] === 'WARN' ? ('warn' as const) : ('error' as const) } : {}),
    message: warning ? warning[2]! : rest,
  };
}
