/**
 * The platform's lines in the JSON log format: platform.* events {time, type, record} in place of
 * START/END/REPORT (LAMBDA-FACTS "Logging controls"). The facts are the text lines' (ReportFacts),
 * so both formats report the same numbers.
 */
import { billedDurationMs, type ReportFacts } from './format.js';

export interface PlatformJsonEvent {
  time: string;
  type: string;
  record: Record<string, unknown>;
}

/** Milliseconds as the Telemetry API writes them: at most three decimals. */
const ms = (value: number) => Math.round(value * 1000) / 1000;

function line(type: string, record: Record<string, unknown>, at: Date): string {
  const event: PlatformJsonEvent = { time: at.toISOString(), type, record };
  return JSON.stringify(event);
}

export function initStartJson(fn: { name: string; runtimeName: string }, at = new Date()): string {
  return line(
    'platform.initStart',
    {
      initializationType: 'on-demand',
      phase: 'init',
      runtimeVersion: fn.runtimeName,
      functionName: fn.name,
      functionVersion: '$LATEST',
    },
    at,
  );
}

export function startJson(requestId: string, functionArn: string, at = new Date()): string {
  return line('platform.start', { requestId, functionArn, version: '$LATEST' }, at);
}

/** success, or how the platform saw the invocation fail (the text REPORT's "Status"). */
function status(facts: ReportFacts): string {
  return facts.status ?? 'success';
}

/** The runtime finished (the text END line's moment); DEBUG, so shown only with systemLogLevel DEBUG. */
export function runtimeDoneJson(facts: ReportFacts, at = new Date()): string {
  return line(
    'platform.runtimeDone',
    {
      requestId: facts.requestId,
      status: status(facts),
      ...(facts.errorType ? { errorType: facts.errorType } : {}),
      metrics: { durationMs: ms(facts.durationMs) },
    },
    at,
  );
}

export function reportJson(facts: ReportFacts, at = new Date()): string {
  return line(
    'platform.report',
    {
      requestId: facts.requestId,
      metrics: {
        durationMs: ms(facts.durationMs),
        billedDurationMs: billedDurationMs(facts.durationMs),
        memorySizeMB: facts.memorySizeMb,
        ...(facts.maxMemoryUsedMb !== undefined
          ? { maxMemoryUsedMB: Math.max(1, Math.round(facts.maxMemoryUsedMb)) }
          : {}),
        ...(facts.initDurationMs !== undefined ? { initDurationMs: ms(facts.initDurationMs) } : {}),
      },
      status: status(facts),
      ...(facts.errorType ? { errorType: facts.errorType } : {}),
    },
    at,
  );
}

/**
 * A message of the platform about an invocation (a timeout, the runtime exiting) in the JSON
 * format: an ERROR application-style line with the request id. (inferred: Lambda's exact shape
 * for these in JSON is not documented)
 */
export function platformErrorJson(requestId: string, message: string, at = new Date()): string {
  return JSON.stringify({ timestamp: at.toISOString(), level: 'ERROR', requestId, message });
}

/** A line's platform event, when it is one ({time, type, record} or Web Functions' {timestamp, type, record}). */
export function parsePlatformEvent(
  value: unknown,
): { type: string; record: Record<string, unknown> } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, record } = value as { type?: unknown; record?: unknown };
  if (typeof type !== 'string' || !type.startsWith('platform.')) return undefined;
  return {
    type,
    record:
      typeof record === 'object' && record !== null ? (record as Record<string, unknown>) : {},
  };
}
