/**
 * What Invoke and InvokeWithResponseStream share before anything runs: the function (name, ARN,
 * qualifier), the X-Amz-* headers and the payload, each checked as Lambda checks it.
 */
import type { IncomingMessage } from 'node:http';
import { readBody } from '../../http/read-body.js';
import { functionArn } from '../pool/ids.js';
import type { InvokeRequest, Invoker } from '../types.js';
import { serviceErrors, type ServiceError } from './errors.js';
import {
  maxAsyncRequestBytes,
  maxSyncRequestBytes,
  parseFunctionName,
  parseInvokeHeaders,
  validatePayload,
  type InvokeHeaders,
} from './request.js';

export interface ReadInvocation {
  /** The function's ARN as the caller named it (for ResourceNotFoundException). */
  arn: string;
  headers: InvokeHeaders;
  request: InvokeRequest;
}

export async function readInvocation(
  request: IncomingMessage,
  url: URL,
  rawName: string,
  context: { invoker: Invoker; region: string; webFunctions?: Record<string, string> },
): Promise<ReadInvocation | ServiceError> {
  const { name, qualifier: arnQualifier } = parseFunctionName(rawName);
  const qualifier = url.searchParams.get('Qualifier') ?? arnQualifier;
  const arn = functionArn(context.region, name) + (qualifier ? `:${qualifier}` : '');
  // A web function answers HTTP on its endpoint only: Lambda refuses to invoke it.
  const webEndpoint = context.webFunctions?.[name];
  if (webEndpoint !== undefined) {
    request.resume();
    return serviceErrors.webFunction(arn, webEndpoint);
  }
  // Only $LATEST exists locally; a published version or alias is reported missing, like AWS would.
  if (!context.invoker.hasFunction(name) || (qualifier !== undefined && qualifier !== '$LATEST')) {
    request.resume();
    return serviceErrors.notFound(arn);
  }
  const headers = parseInvokeHeaders(request);
  if ('status' in headers) {
    request.resume();
    return headers;
  }
  const limit = headers.invocationType === 'Event' ? maxAsyncRequestBytes : maxSyncRequestBytes;
  const body = await readBody(request, limit);
  if (!body.ok)
    return serviceErrors.tooLarge(
      limit,
      headers.invocationType === 'Event' ? 'InvokeAsync' : 'Invoke',
    );
  const payload = validatePayload(body.body);
  if ('status' in payload) return payload;
  return {
    arn,
    headers,
    request: {
      functionName: name,
      payload: payload.payload,
      ...(headers.clientContext ? { clientContext: headers.clientContext } : {}),
    },
  };
}
