/** Turning an InvocationOutcome into the Invoke API's response, the way Lambda answers each case. */
import type { ServerResponse } from 'node:http';
import { logTail } from '../logs/render.js';
import type { InvocationOutcome } from '../types.js';
import { platformErrorPayload } from '../workers/core/outcome-payload.js';
import { sendServiceError, serviceErrors } from './errors.js';

export function respondWithOutcome(
  response: ServerResponse,
  outcome: InvocationOutcome,
  options: { tail: boolean; functionArn: string },
): void {
  if (answeredAsServiceError(response, outcome, options.functionArn)) return;

  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-RequestId': outcome.requestId,
  };
  if (options.tail) headers['X-Amz-Log-Result'] = logTail(outcome.logs).toString('base64');

  let body: Buffer;
  if (outcome.kind === 'succeeded') {
    body = outcome.body;
  } else if (outcome.kind === 'function-error') {
    // A function error is still a successful Invoke call: 200 plus this header.
    headers['X-Amz-Function-Error'] = 'Unhandled';
    body = outcome.body;
  } else {
    headers['X-Amz-Function-Error'] = 'Unhandled';
    body = Buffer.from(JSON.stringify(platformErrorPayload(outcome)));
  }
  headers['Content-Length'] = body.length;
  response.writeHead(200, headers);
  response.end(body);
}

/**
 * Outcomes that are the Lambda service's answer, not the function's: a missing function or a
 * throttle. Sends that error and says so; Invoke and InvokeWithResponseStream answer them alike.
 */
export function answeredAsServiceError(
  response: ServerResponse,
  outcome: InvocationOutcome,
  functionArn: string,
): boolean {
  if (outcome.kind === 'unknown-function')
    sendServiceError(response, serviceErrors.notFound(functionArn), outcome.requestId);
  else if (outcome.kind === 'throttled')
    sendServiceError(response, serviceErrors.throttled(), outcome.requestId);
  else return false;
  return true;
}
