/**
 * Every InvocationOutcome mapped to what API Gateway answers, per the Lambda guide's "Handling Lambda
 * errors with an API Gateway API": an invocation Lambda rejects → 500; a function that runs but
 * fails or returns a malformed response → 502 {"message":"Internal server error"}.
 *
 * Timeouts need care. A function that hits its OWN timeout is, for API Gateway, a function error
 * (Lambda reports "Task timed out after N seconds" as Sandbox.Timedout): 502. Only when the
 * gateway's integration timeout (HTTP API 30 s, REST 29 s) passes first does the client see the
 * timeout answer: REST 504 "Endpoint request timed out", HTTP API 503 "Service Unavailable". The
 * server runs that timer; here an outcome whose timeout is at least the integration timeout maps to
 * the gateway answer, because the gateway would have given up first.
 */
import type { InvocationOutcome } from '../types.js';
import { gatewayErrors, type GatewayResponse, type ParsedResponse } from './gateway-response.js';
import type { ApiFlavour } from './v1-event.js';

/** Lambda's synchronous response limit; a larger response is Function.ResponseSizeTooLarge. */
export const maxResponseBytes = 6 * 1024 * 1024;

export interface OutcomeContext {
  flavour: ApiFlavour;
  integrationTimeoutMs: number;
  parse: (payload: Buffer) => ParsedResponse;
}

export interface MappedOutcome {
  response: GatewayResponse;
  /** Why the client got an error instead of the function's answer: for the access log. */
  problem?: string;
}

export function integrationTimeoutResponse(flavour: ApiFlavour): GatewayResponse {
  return flavour === 'rest'
    ? gatewayErrors.restIntegrationTimeout()
    : gatewayErrors.httpIntegrationTimeout();
}

/**
 * Why an invocation that did not succeed gives the client an error, for the access log; shared by
 * the fronts (API Gateway, function URLs) that each answer it their own way.
 */
export function invocationProblem(
  outcome: Exclude<InvocationOutcome, { kind: 'succeeded' }>,
): string {
  switch (outcome.kind) {
    case 'function-error':
      return `function error ${outcome.errorType}`;
    case 'timed-out':
      return `Task timed out after ${outcome.timeoutSeconds.toFixed(2)} seconds (Sandbox.Timedout)`;
    case 'worker-exited':
      return `Runtime.ExitError (exit code ${outcome.exitCode ?? 'none'}${outcome.signal ? `, signal ${outcome.signal}` : ''})`;
    case 'out-of-memory':
      return 'Runtime.OutOfMemory';
    case 'response-too-large':
      return responseTooLarge(outcome.bytes);
    case 'throttled':
      return 'throttled: the function is at its concurrency limit';
    case 'unknown-function':
      return 'the route points at a function the emulator does not know';
  }
}

export function responseTooLarge(bytes: number): string {
  return `response is ${bytes} bytes, over Lambda's 6 MB limit (Function.ResponseSizeTooLarge)`;
}

/** A succeeded invocation's payload read as a proxy response: the response, or a 502 and why. */
export function parsedOutcome(
  body: Buffer,
  parse: (payload: Buffer) => ParsedResponse,
): { response: GatewayResponse } | { problem: string } {
  if (body.length > maxResponseBytes) return { problem: responseTooLarge(body.length) };
  const parsed = parse(body);
  return parsed.ok
    ? { response: parsed.response }
    : { problem: `malformed Lambda proxy response: ${parsed.reason}` };
}

export function responseForOutcome(
  outcome: InvocationOutcome,
  context: OutcomeContext,
): MappedOutcome {
  const internal = (problem: string): MappedOutcome => ({
    response: gatewayErrors.internalServerError(),
    problem,
  });
  switch (outcome.kind) {
    case 'succeeded': {
      const parsed = parsedOutcome(outcome.body, context.parse);
      return 'response' in parsed ? parsed : internal(parsed.problem);
    }
    case 'timed-out':
      if (outcome.timeoutSeconds * 1000 >= context.integrationTimeoutMs) {
        return {
          response: integrationTimeoutResponse(context.flavour),
          problem: `integration timed out (${context.integrationTimeoutMs} ms)`,
        };
      }
      return internal(invocationProblem(outcome));
    case 'throttled':
      return { response: gatewayErrors.throttled(), problem: invocationProblem(outcome) };
    case 'unknown-function':
      return { response: gatewayErrors.invocationRejected(), problem: invocationProblem(outcome) };
    case 'function-error':
    case 'worker-exited':
    case 'out-of-memory':
    case 'response-too-large':
      return internal(invocationProblem(outcome));
  }
}
