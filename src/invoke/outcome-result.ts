/**
 * The emulator's outcome as `lbuild invoke` reports it: the function's own result or error, or
 * the error Lambda itself would return when the sandbox failed (timeout, memory, exit, size).
 */
import type { InvocationOutcome } from '../emulator/types.js';
import { UserError } from '../errors.js';
import type { InvokeResult } from './invoke-types.js';
import { parseBody } from './response-body.js';

type SandboxFailure = Extract<
  InvocationOutcome,
  { kind: 'timed-out' | 'out-of-memory' | 'worker-exited' | 'response-too-large' }
>;

export function fromOutcome(functionName: string, outcome: InvocationOutcome): InvokeResult {
  const base = {
    functionName,
    requestId: outcome.requestId,
    logs: outcome.logs,
    via: 'container' as const,
  };
  switch (outcome.kind) {
    case 'succeeded':
      return { ...base, status: 'succeeded', result: parseBody(outcome.body) };
    case 'function-error':
      return {
        ...base,
        status: 'function-error',
        errorType: outcome.errorType,
        result: parseBody(outcome.body),
      };
    case 'throttled':
    case 'unknown-function':
      throw new UserError(`the invocation was not run (${outcome.kind})`, {
        hint: 'Try again; check the function name.',
      });
    default: {
      const error = lambdaError(outcome);
      return { ...base, status: 'function-error', errorType: error.errorType, result: error };
    }
  }
}

/** The error type and message Lambda returns for each way the sandbox can fail. */
function lambdaError(outcome: SandboxFailure): { errorType: string; errorMessage: string } {
  switch (outcome.kind) {
    case 'timed-out':
      return {
        errorType: 'Sandbox.Timedout',
        errorMessage: `Task timed out after ${outcome.timeoutSeconds.toFixed(2)} seconds`,
      };
    case 'out-of-memory':
      return {
        errorType: 'Runtime.OutOfMemory',
        errorMessage: 'Runtime exited with error: signal: killed',
      };
    case 'worker-exited':
      return {
        errorType: 'Runtime.ExitError',
        errorMessage: `Runtime exited with error: exit status ${outcome.exitCode}`,
      };
    case 'response-too-large':
      return {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size (${outcome.bytes} bytes) exceeded maximum allowed payload size (6291556 bytes).`,
      };
  }
}
