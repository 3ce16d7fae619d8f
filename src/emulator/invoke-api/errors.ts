/**
 * The Lambda service's error responses: the status, the x-amzn-ErrorType header the AWS SDKs map to
 * exception classes, and a {"Type","message"} body. With these, @aws-sdk/client-lambda throws
 * ResourceNotFoundException, TooManyRequestsException... exactly as against AWS.
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from '../../http/json.js';

export interface ServiceError {
  status: number;
  code: string;
  /** "User" for the caller's mistakes, "Service" for ours. */
  type: 'User' | 'Service';
  message: string;
  /** Extra fields some errors carry (TooManyRequestsException has Reason). */
  extra?: Record<string, string>;
}

export function sendServiceError(
  response: ServerResponse,
  error: ServiceError,
  requestId: string,
): void {
  sendJson(
    response,
    error.status,
    { Type: error.type, message: error.message, ...(error.extra ?? {}) },
    {
      'x-amzn-ErrorType': error.code,
      'x-amzn-RequestId': requestId,
    },
  );
}

export const serviceErrors = {
  notFound: (functionArn: string): ServiceError => ({
    status: 404,
    code: 'ResourceNotFoundException',
    type: 'User',
    message: `Function not found: ${functionArn}`,
  }),
  /**
   * Web functions live in Lambda's separate web-functions API, so Invoke does not know the name:
   * ResourceNotFoundException, as AWS answers (inferred), with the endpoint to use instead.
   */
  webFunction: (functionArn: string, endpoint: string): ServiceError => ({
    status: 404,
    code: 'ResourceNotFoundException',
    type: 'User',
    message: `Function not found: ${functionArn} (a web function: the Invoke API does not run web functions; send HTTP requests to its endpoint ${endpoint})`,
  }),
  tooLarge: (limit: number, operation: string): ServiceError => ({
    status: 413,
    code: 'RequestTooLargeException',
    type: 'User',
    message: `Request must be smaller than ${limit} bytes for the ${operation} operation`,
  }),
  throttled: (): ServiceError => ({
    status: 429,
    code: 'TooManyRequestsException',
    type: 'User',
    message: 'Rate Exceeded.',
    extra: { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
  }),
  invalidParameter: (message: string): ServiceError => ({
    status: 400,
    code: 'InvalidParameterValueException',
    type: 'User',
    message,
  }),
  invalidContent: (message: string): ServiceError => ({
    status: 400,
    code: 'InvalidRequestContentException',
    type: 'User',
    message,
  }),
  unknownOperation: (method: string, path: string): ServiceError => ({
    status: 404,
    code: 'UnknownOperationException',
    type: 'User',
    message: `lbuild's Invoke API does not implement ${method} ${path}`,
  }),
  internal: (message: string): ServiceError => ({
    status: 500,
    code: 'ServiceException',
    type: 'Service',
    message,
  }),
};
