/**
 * Parsing and validating an Invoke request before anything runs: function name (plain, partial or
 * full ARN, with an optional qualifier), invocation type, log type, client context and payload size.
 */
import type { IncomingMessage } from 'node:http';
import { headerValue } from '../../http/header.js';
import { serviceErrors, type ServiceError } from './errors.js';

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

/** Lambda's payload quotas: 6 MB synchronous, 1 MB asynchronous. */
export const maxSyncRequestBytes = 6 * 1024 * 1024;
export const maxAsyncRequestBytes = 1024 * 1024;
export const maxClientContextBytes = 3583;

export interface InvokeHeaders {
  invocationType: InvocationType;
  tail: boolean;
  clientContext?: string;
}

/** "name", "name:$LATEST", "123456789012:function:name" or a full ARN → name and qualifier. */
export function parseFunctionName(raw: string): { name: string; qualifier?: string } {
  const decoded = decodeURIComponent(raw);
  const arn = /^(?:arn:[^:]+:lambda:[^:]*:)?(?:\d{12}:)?function:([^:]+)(?::(.+))?$/.exec(decoded);
  if (arn) return { name: arn[1]!, ...(arn[2] ? { qualifier: arn[2] } : {}) };
  const [name = '', qualifier] = decoded.split(':');
  return { name, ...(qualifier ? { qualifier } : {}) };
}

export function parseInvokeHeaders(request: IncomingMessage): InvokeHeaders | ServiceError {
  const type = headerValue(request, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
    return serviceErrors.invalidParameter(
      `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  const logType = headerValue(request, 'x-amz-log-type') ?? 'None';
  if (logType !== 'None' && logType !== 'Tail') {
    return serviceErrors.invalidParameter(
      `1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`,
    );
  }
  const clientContext = headerValue(request, 'x-amz-client-context');
  if (clientContext !== undefined) {
    if (Buffer.byteLength(clientContext) > maxClientContextBytes) {
      return serviceErrors.invalidParameter(
        `Client context must be at most ${maxClientContextBytes} bytes of base64-encoded JSON`,
      );
    }
    if (!isBase64Json(clientContext))
      return serviceErrors.invalidContent(
        'Client context must be a valid Base64-encoded JSON object.',
      );
  }
  return {
    invocationType: type,
    tail: logType === 'Tail' && type === 'RequestResponse',
    ...(clientContext ? { clientContext } : {}),
  };
}

function isBase64Json(value: string): boolean {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null;
  } catch {
    return false;
  }
}

/** Lambda rejects a payload that is not JSON before invoking anything; an empty one means {}. */
export function validatePayload(body: Buffer): { payload: Buffer } | ServiceError {
  if (body.length === 0) return { payload: Buffer.from('{}') };
  try {
    JSON.parse(body.toString('utf8'));
    return { payload: body };
  } catch (error) {
    return serviceErrors.invalidContent(
      `Could not parse request body into json: ${(error as Error).message}`,
    );
  }
}
