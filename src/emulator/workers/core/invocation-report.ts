/** What Lambda reports after every invocation that reached a worker (REPORT, or platform.report). */
import type { ReportFacts } from '../../logs/format.js';
import type { InvocationOutcome } from '../../types.js';
import { outcomeErrorType } from './outcome-payload.js';

/** Outcomes of invocations that reached a worker (throttled and unknown ones never do). */
export type WorkerOutcome = Exclude<InvocationOutcome, { kind: 'throttled' | 'unknown-function' }>;

export function invocationReportFacts(
  outcome: WorkerOutcome,
  memorySizeMb: number,
  measuredMb: number | undefined,
): ReportFacts {
  // An OOM kill means the limit was reached, whatever the last sample said.
  const maxMemoryUsedMb = outcome.kind === 'out-of-memory' ? memorySizeMb : measuredMb;
  const failed = outcome.kind !== 'succeeded' && outcome.kind !== 'function-error';
  const errorType = failed ? outcomeErrorType(outcome) : undefined;
  return {
    requestId: outcome.requestId,
    durationMs: outcome.durationMs,
    memorySizeMb,
    ...(maxMemoryUsedMb !== undefined ? { maxMemoryUsedMb } : {}),
    ...(outcome.initDurationMs !== undefined ? { initDurationMs: outcome.initDurationMs } : {}),
    ...(failed
      ? { status: outcome.kind === 'timed-out' ? ('timeout' as const) : ('error' as const) }
      : {}),
    ...(errorType ? { errorType } : {}),
  };
}
