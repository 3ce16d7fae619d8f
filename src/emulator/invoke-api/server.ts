/**
 * The Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations), enough of it that the
 * AWS SDKs and `aws lambda invoke --endpoint-url` work unchanged against the local emulator.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer } from '../../http/close.js';
import { listen } from '../../http/listen.js';
import { readBody } from '../../http/read-body.js';
import { httpUrl } from '../../http/url.js';
import { newRequestId, functionArn } from '../pool/ids.js';
import type { Invoker } from '../types.js';
import { sendServiceError, serviceErrors, type ServiceError } from './errors.js';
import {
  maxAsyncRequestBytes,
  maxSyncRequestBytes,
  parseFunctionName,
  parseInvokeHeaders,
  validatePayload,
} from './request.js';
import { respondWithOutcome } from './respond.js';

const invokePath = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

export interface InvokeApiOptions {
  invoker: Invoker;
  region: string;
  host?: string;
  port?: number;
  /** Web functions of the project, by name → their endpoint URL: Invoke refuses them. */
  webFunctions?: Record<string, string>;
}

export interface InvokeApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startInvokeApi(options: InvokeApiOptions): Promise<InvokeApi> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendServiceError(
          response,
          serviceErrors.internal(`lbuild emulator error: ${(error as Error).message}`),
          newRequestId(),
        );
      else response.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, host, options.port ?? 0, {
    what: 'Invoke API',
    portSetting: '--invoke-port',
  });
  return {
    url: httpUrl(host, port),
    port,
    close: () => closeServer(server),
  };
}

async function handle(
  options: InvokeApiOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const match = invokePath.exec(url.pathname);
  const fail = (error: ServiceError) => sendServiceError(response, error, newRequestId());
  if (!match || request.method !== 'POST') {
    request.resume();
    return fail(serviceErrors.unknownOperation(request.method ?? '?', url.pathname));
  }
  const { name, qualifier: arnQualifier } = parseFunctionName(match[1]!);
  const qualifier = url.searchParams.get('Qualifier') ?? arnQualifier;
  const arn = functionArn(options.region, name) + (qualifier ? `:${qualifier}` : '');
  // Only $LATEST exists locally; a published version or alias is reported missing, like AWS would.
  const webEndpoint = options.webFunctions?.[name];
  if (webEndpoint !== undefined) {
    request.resume();
    return fail(serviceErrors.webFunction(arn, webEndpoint));
  }
  if (!options.invoker.hasFunction(name) || (qualifier !== undefined && qualifier !== '$LATEST')) {
    request.resume();
    return fail(serviceErrors.notFound(arn));
  }
  const headers = parseInvokeHeaders(request);
  if ('status' in headers) {
    request.resume();
    return fail(headers);
  }
  const limit = headers.invocationType === 'Event' ? maxAsyncRequestBytes : maxSyncRequestBytes;
  const body = await readBody(request, limit);
  if (!body.ok)
    return fail(
      serviceErrors.tooLarge(limit, headers.invocationType === 'Event' ? 'InvokeAsync' : 'Invoke'),
    );
  const payload = validatePayload(body.body);
  if ('status' in payload) return fail(payload);

  const invokeRequest = {
    functionName: name,
    payload: payload.payload,
    ...(headers.clientContext ? { clientContext: headers.clientContext } : {}),
  };
  if (headers.invocationType === 'DryRun') {
    response.writeHead(204, { 'x-amzn-RequestId': newRequestId(), 'Content-Length': '0' });
    response.end();
    return;
  }
  if (headers.invocationType === 'Event') {
    const { requestId } = options.invoker.enqueue(invokeRequest);
    response.writeHead(202, { 'x-amzn-RequestId': requestId, 'Content-Length': '0' });
    response.end();
    return;
  }
  const outcome = await options.invoker.invoke(invokeRequest);
  respondWithOutcome(response, outcome, { tail: headers.tail, functionArn: arn });
}
