/**
 * The Lambda Invoke API: Invoke (POST /2015-03-31/functions/{name}/invocations) and
 * InvokeWithResponseStream (POST /2021-11-15/functions/{name}/response-streaming-invocations),
 * enough of them that the AWS SDKs and `aws lambda invoke --endpoint-url` work unchanged against
 * the local emulator.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeServer } from '../../http/close.js';
import { listen } from '../../http/listen.js';
import { createHttpServer } from '../../http/server.js';
import { httpUrl } from '../../http/url.js';
import { newRequestId } from '../pool/ids.js';
import type { Invoker } from '../types.js';
import { sendServiceError, serviceErrors } from './errors.js';
import { readInvocation, type ReadInvocation } from './read-invocation.js';
import { respondWithOutcome } from './respond.js';
import { respondWithStream } from './respond-stream.js';

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

type Operation = (
  options: InvokeApiOptions,
  invocation: ReadInvocation,
  response: ServerResponse,
) => Promise<void>;

const operations: Array<{ path: RegExp; run: Operation }> = [
  { path: /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/, run: invoke },
  {
    path: /^\/2021-11-15\/functions\/([^/]+)\/response-streaming-invocations\/?$/,
    run: invokeWithResponseStream,
  },
];

export async function startInvokeApi(options: InvokeApiOptions): Promise<InvokeApi> {
  const server = createHttpServer((request, response) => {
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
  let operation: { run: Operation; name: string } | undefined;
  for (const { path, run } of operations) {
    const match = path.exec(url.pathname);
    if (match && request.method === 'POST') operation = { run, name: match[1]! };
  }
  if (!operation) {
    request.resume();
    return sendServiceError(
      response,
      serviceErrors.unknownOperation(request.method ?? '?', url.pathname),
      newRequestId(),
    );
  }
  const invocation = await readInvocation(request, url, operation.name, options);
  if ('status' in invocation) return sendServiceError(response, invocation, newRequestId());
  await operation.run(options, invocation, response);
}

async function invoke(
  options: InvokeApiOptions,
  { arn, headers, request }: ReadInvocation,
  response: ServerResponse,
): Promise<void> {
  if (headers.invocationType === 'DryRun') {
    response.writeHead(204, { 'x-amzn-RequestId': newRequestId(), 'Content-Length': '0' });
    response.end();
    return;
  }
  if (headers.invocationType === 'Event') {
    const { requestId } = options.invoker.enqueue(request);
    response.writeHead(202, { 'x-amzn-RequestId': requestId, 'Content-Length': '0' });
    response.end();
    return;
  }
  const outcome = await options.invoker.invoke(request);
  respondWithOutcome(response, outcome, { tail: headers.tail, functionArn: arn });
}

/** InvokeWithResponseStream takes RequestResponse and DryRun only (a stream needs someone to read it). */
async function invokeWithResponseStream(
  options: InvokeApiOptions,
  { arn, headers, request }: ReadInvocation,
  response: ServerResponse,
): Promise<void> {
  if (headers.invocationType === 'Event')
    return sendServiceError(
      response,
      serviceErrors.invalidParameter(
        "1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]",
      ),
      newRequestId(),
    );
  if (headers.invocationType === 'DryRun') {
    response.writeHead(204, { 'x-amzn-RequestId': newRequestId(), 'Content-Length': '0' });
    response.end();
    return;
  }
  await respondWithStream(response, options.invoker, request, {
    tail: headers.tail,
    functionArn: arn,
  });
}
