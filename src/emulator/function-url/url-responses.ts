/**
 * What a function URL answers when it does not pass on the function's response. These differ from
 * API Gateway's: a failed function gives 502 with the plain text "Internal Server Error" (checked
 * against AWS by LocalStack's validated tests), a throttled one 429, a refused signature 403 with
 * the Lambda service's AccessDeniedException. There is no integration timeout: a function that runs
 * past its own timeout is a function error (502).
 */
import type { GatewayResponse } from '../apigw/gateway-response.js';
import { invocationProblem, parsedOutcome } from '../apigw/outcomes.js';
import { parseV2Response } from '../apigw/v2-response.js';
import type { InvocationOutcome } from '../types.js';

function serviceError(statusCode: number, errorType: string, message: string): GatewayResponse {
  return {
    statusCode,
    headers: [
      ['content-type', 'application/json'],
      ['x-amzn-ErrorType', errorType],
    ],
    body: Buffer.from(JSON.stringify({ Message: message })),
  };
}

export const urlErrors = {
  /** AWS_IAM: no signature, or one that does not check out. */
  forbidden: () => serviceError(403, 'AccessDeniedException', 'Forbidden'),
  /** The function failed, timed out, or returned something that is not a response. */
  internalServerError: (): GatewayResponse => ({
    statusCode: 502,
    headers: [['content-type', 'text/plain; charset=utf-8']],
    body: Buffer.from('Internal Server Error'),
  }),
  throttled: () => serviceError(429, 'TooManyRequestsException', 'Rate Exceeded.'),
  /** The event would exceed Lambda's 6 MB synchronous invocation limit. */
  requestTooLarge: () =>
    serviceError(413, 'RequestTooLargeException', 'Request must be smaller than 6291456 bytes'),
};

/** The client's answer for an invocation's outcome, and for the access log why it is an error. */
export function urlResponseForOutcome(outcome: InvocationOutcome): {
  response: GatewayResponse;
  problem?: string;
} {
  if (outcome.kind === 'succeeded') {
    // Lambda infers a response from any JSON as API Gateway's payload 2.0 does: the same reader.
    const parsed = parsedOutcome(outcome.body, parseV2Response);
    return 'response' in parsed
      ? parsed
      : { response: urlErrors.internalServerError(), problem: parsed.problem };
  }
  const problem = invocationProblem(outcome);
  return outcome.kind === 'throttled'
    ? { response: urlErrors.throttled(), problem }
    : { response: urlErrors.internalServerError(), problem };
}
