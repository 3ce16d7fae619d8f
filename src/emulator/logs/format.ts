/**
 * The platform lines Lambda writes around every invocation, in CloudWatch's exact format, so tools
 * that parse real Lambda logs (and people's eyes) work on ours.
 */

export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFacts {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  /** Unknown when the worker could not be measured; the field is then left out rather than faked. */
  maxMemoryUsedMb?: number;
  /** Only on a cold start. */
  initDurationMs?: number;
  /** Lambda adds "Status: timeout" / "Status: error" (with "Error Type") when an invocation fails in the platform. */
  status?: 'timeout' | 'error';
  errorType?: string;
}

/** Lambda bills whole milliseconds, rounded up, at least 1. */
export function billedDurationMs(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

export function reportLine(facts: ReportFacts): string {
  const fields = [
    `REPORT RequestId: ${facts.requestId}`,
    `Duration: ${facts.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedDurationMs(facts.durationMs)} ms`,
    `Memory Size: ${facts.memorySizeMb} MB`,
  ];
  if (facts.maxMemoryUsedMb !== undefined)
    fields.push(`Max Memory Used: ${Math.max(1, Math.round(facts.maxMemoryUsedMb))} MB`);
  if (facts.initDurationMs !== undefined)
    fields.push(`Init Duration: ${facts.initDurationMs.toFixed(2)} ms`);
  if (facts.status) fields.push(`Status: ${facts.status}`);
  if (facts.errorType) fields.push(`Error Type: ${facts.errorType}`);
  return fields.join('\t');
}

/** Lambda's line when the platform stops a function (timeout, crash): "<time> <id> Task timed out...". */
export function platformErrorLine(requestId: string, message: string, at = new Date()): string {
  return `${at.toISOString()} ${requestId} ${message}`;
}

/** Lambda's message for a timeout: the configured timeout with two decimals. */
export function timeoutMessage(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}
