/**
 * The error JSON Lambda answers with when the platform (not the function) ends an invocation, and
 * the messages it logs for it. One place, so the Invoke API, the API Gateway front and the logs
 * say the same thing.
 */
import type { InvocationOutcome } from '../../types.js';
import { timeoutMessage } from '../../logs/format.js';
import { maxResponseBytes } from '../../runtime-api/protocol.js';
import type { SandboxExit } from './sandbox.js';

/** Go's ExitError wording, which is what Lambda's messages show ("exit status 1", "signal: killed"). */
const signalWords: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGBUS: 'bus error',
  SIGINT: 'interrupt',
};

export function exitDescription(exit: Pick<SandboxExit, 'exitCode' | 'signal'>): string {
  if (exit.signal) return `signal: ${signalWords[exit.signal] ?? exit.signal}`;
  // A container's runtime killed by SIGKILL shows up as exit code 137 (128 + 9).
  if (exit.exitCode === 137) return 'signal: killed';
  return `exit status ${exit.exitCode ?? 'unknown'}`;
}

export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
}

/** The body for outcomes the function did not write itself; undefined for succeeded/function-error. */
export function platformErrorPayload(outcome: InvocationOutcome): ErrorPayload | undefined {
  const id = outcome.requestId;
  switch (outcome.kind) {
    case 'timed-out':
      return {
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${id} Error: ${timeoutMessage(outcome.timeoutSeconds)}`,
      };
    case 'worker-exited':
      return {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${id} Error: Runtime exited with error: ${exitDescription({ exitCode: outcome.exitCode, ...(outcome.signal ? { signal: outcome.signal } : {}) })}`,
      };
    case 'out-of-memory':
      return {
        errorType: 'Runtime.OutOfMemory',
        errorMessage: `RequestId: ${id} Error: Runtime exited with error: signal: killed`,
      };
    case 'response-too-large':
      return {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size (${outcome.bytes} bytes) exceeded maximum allowed payload size (${outcome.limitBytes ?? maxResponseBytes} bytes).`,
      };
    case 'succeeded':
    case 'function-error':
    case 'throttled':
    case 'unknown-function':
      return undefined;
  }
}

/** The error type an outcome reports in X-Amz-Function-Error bodies and REPORT lines. */
export function outcomeErrorType(outcome: InvocationOutcome): string | undefined {
  if (outcome.kind === 'function-error') return outcome.errorType;
  return platformErrorPayload(outcome)?.errorType;
}
