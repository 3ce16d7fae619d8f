/**
 * The answers a Web Function endpoint gives itself, instead of the app: one table, so the status,
 * the `lambda-web-error-type` header and the body of each case have one home. The error types
 * follow Lambda's `<Prefix>.<Reason>` form; those the contract does not name are marked (inferred).
 */
import type { ServerResponse } from 'node:http';

export interface WebAnswer {
  status: number;
  /** The `lambda-web-error-type` header; absent for plain protocol refusals. */
  errorType?: string;
  message: string;
}

export const webAnswers = {
  /** The contract: 505 for HTTP/1.0 (HTTP/1.1 both ways). */
  httpVersion: (): WebAnswer => ({ status: 505, message: 'HTTP Version Not Supported' }),
  /** The contract: methods outside the seven are 400 before the app sees them. */
  method: (method: string): WebAnswer => ({
    status: 400,
    message: `Bad Request: method ${method} is not supported`,
  }),
  /** The contract: 417 for Expect: 100-continue. */
  expect: (): WebAnswer => ({ status: 417, message: 'Expectation Failed' }),
  /** The contract: 504 with Runtime.RequestTimeout when the app does not answer in time. */
  timeout: (seconds: number): WebAnswer => ({
    status: 504,
    errorType: 'Runtime.RequestTimeout',
    message: `The request did not complete within the function's ${seconds} s timeout`,
  }),
  /** The contract: 502 when the server fails to start (Application.InitCodeError on Lambda). */
  initFailed: (errorType: string, reason: string): WebAnswer => ({
    status: 502,
    errorType,
    message: `The function's server failed to start: ${reason}`,
  }),
  /** The contract: 502 when the app crashes with the request in flight. (error type inferred) */
  crashed: (): WebAnswer => ({
    status: 502,
    errorType: 'Runtime.ExitError',
    message: 'The function exited before it answered the request',
  }),
  /** Every environment full at maxEnvironments. (status and error type inferred) */
  throttled: (max: number): WebAnswer => ({
    status: 429,
    errorType: 'Function.Throttled',
    message: `Too many requests: all ${max} environments are at their maxConcurrencyPerEnvironment`,
  }),
  /** The stack is stopping: no new requests are routed. (inferred) */
  stopping: (): WebAnswer => ({
    status: 503,
    errorType: 'Function.ShuttingDown',
    message: 'The function is shutting down',
  }),
};

/** Init failure error types: a crash during start-up, or no listener within 10 s. */
export const initErrorTypes = {
  /** The contract's own example. */
  exited: 'Application.InitCodeError',
  /** (inferred) the process ran but never accepted on AWS_LAMBDA_HTTP_ENDPOINT. */
  notListening: 'Application.InitTimeout',
} as const;

export function sendWebAnswer(
  response: ServerResponse,
  answer: WebAnswer,
  requestId: string | undefined,
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = `${JSON.stringify({ message: answer.message })}\n`;
  response.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(answer.errorType ? { 'lambda-web-error-type': answer.errorType } : {}),
    ...(requestId ? { 'lambda-web-request-id': requestId } : {}),
  });
  response.end(body);
}
