/**
 * Web Functions' log format: no START/END/REPORT lines. Application output becomes JSON lines
 * {timestamp, level, message, requestId, endpointName, region}; system events are JSON lines
 * {timestamp, level, type, region, record} (platform.initStart, platform.initReport,
 * platform.requestComplete...). Both go through the stack's LogSink like every other line.
 */
import { platformEventLevel } from '../logs/log-levels.js';
import type { LogSink } from '../logs/sink.js';

export interface WebLogContext {
  sink: LogSink;
  functionName: string;
  region: string;
}

/**
 * Which request an application line belongs to. With many requests in flight in one process,
 * stdout cannot tell; the line carries a requestId when exactly one is in flight. (inferred) The
 * container's output and the app's socket are separate channels, so a line the app printed just
 * before it began listening (its "listening on" line) can arrive after a request that waited for
 * the environment went in, and be tagged with that request's id.
 */
export function applicationLine(
  ctx: WebLogContext,
  line: {
    text: string;
    stream: 'stdout' | 'stderr';
    requestId: string | undefined;
    instance: string;
  },
): void {
  const message = JSON.stringify({
    timestamp: new Date().toISOString(),
    level: line.stream === 'stderr' ? 'ERROR' : 'INFO',
    message: line.text,
    ...(line.requestId ? { requestId: line.requestId } : {}),
    endpointName: ctx.functionName,
    region: ctx.region,
  });
  ctx.sink.emit({
    functionName: ctx.functionName,
    workerId: line.instance,
    kind: 'output',
    stream: line.stream,
    ...(line.requestId ? { requestId: line.requestId } : {}),
    message,
  });
}

export type PlatformType =
  | 'platform.initStart'
  | 'platform.initReport'
  | 'platform.requestComplete'
  | 'platform.spinDownStart'
  | 'platform.spinDownReport';

export function platformEvent(
  ctx: WebLogContext,
  event: {
    type: PlatformType;
    instance: string;
    record: Record<string, unknown>;
    level?: 'INFO' | 'DEBUG' | 'WARN' | 'ERROR';
    requestId?: string;
  },
): void {
  // Each event type's level is the one Lambda gives it (logs/log-levels.ts), unless the event says otherwise.
  const level = event.level ?? platformEventLevel(event.type);
  const message = JSON.stringify({
    timestamp: new Date().toISOString(),
    level,
    type: event.type,
    region: ctx.region,
    record: event.record,
  });
  ctx.sink.emit({
    functionName: ctx.functionName,
    workerId: event.instance,
    kind: 'platform',
    level: level === 'ERROR' ? 'error' : level === 'WARN' ? 'warn' : 'info',
    ...(event.requestId ? { requestId: event.requestId } : {}),
    message,
  });
}
