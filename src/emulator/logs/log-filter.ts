/**
 * Choosing log events by function, level and request id (`lbuild logs --level WARN --request
 * <id>`). A line's level is the one it states (JSON "level", a platform event's system level, the
 * runtimes' text layouts); lbuild's own warnings and errors keep theirs; the platform's plain
 * messages (timeouts, a runtime that exited) are errors; anything else counts as INFO, as
 * Lambda counts it.
 */
import { lineLevel, lineRequestId } from './line-facts.js';
import { levelRank, type ApplicationLogLevel } from './log-levels.js';
import type { LogEvent } from './sink.js';

export interface LogFilter {
  functionName?: string;
  /** The least severe level kept. */
  level?: ApplicationLogLevel;
  requestId?: string;
}

export function eventLevel(
  event: Pick<LogEvent, 'kind' | 'level' | 'message'>,
): ApplicationLogLevel {
  const stated = lineLevel(event.message);
  if (stated) return stated;
  if (event.level === 'warn') return 'WARN';
  if (event.level === 'error') return 'ERROR';
  return event.kind === 'platform' && event.level === undefined ? 'ERROR' : 'INFO';
}

/** The invocation a line belongs to: the worker's attribution, else what the line says. */
export function eventRequestId(event: Pick<LogEvent, 'requestId' | 'message'>): string | undefined {
  return event.requestId ?? lineRequestId(event.message);
}

export function eventMatches(
  event: Pick<LogEvent, 'functionName' | 'kind' | 'level' | 'message' | 'requestId'>,
  filter: LogFilter,
): boolean {
  if (filter.functionName !== undefined && event.functionName !== filter.functionName) return false;
  if (filter.requestId !== undefined && eventRequestId(event) !== filter.requestId) return false;
  if (filter.level !== undefined && levelRank(eventLevel(event)) < levelRank(filter.level))
    return false;
  return true;
}
