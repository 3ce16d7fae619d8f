/**
 * InvokeWithResponseStream's answer: 200 with an event stream of PayloadChunk events, written as
 * the function writes, then one InvokeComplete event saying how the invocation ended (ErrorCode
 * and ErrorDetails on a mid-stream error, a timeout or a crash; LogResult with LogType Tail). As on
 * Lambda, a function error does not change the HTTP status: it is only in InvokeComplete.
 * A function that does not stream answers in one PayloadChunk.
 */
import type { ServerResponse } from 'node:http';
import { logTail } from '../logs/render.js';
import type { InvocationOutcome, InvokeRequest, Invoker, StreamedResponse } from '../types.js';
import { outcomeErrorType, platformErrorPayload } from '../workers/core/outcome-payload.js';
import { answeredAsServiceError } from './respond.js';
import { encodeEvent } from './event-stream.js';

export interface StreamRespondOptions {
  tail: boolean;
  functionArn: string;
}

export async function respondWithStream(
  response: ServerResponse,
  invoker: Invoker,
  request: InvokeRequest,
  options: StreamRespondOptions,
): Promise<void> {
  const started = invoker.invokeStreaming
    ? await invoker.invokeStreaming(request)
    : { kind: 'buffered' as const, outcome: await invoker.invoke(request) };
  if (started.kind === 'buffered') {
    const { outcome } = started;
    if (answeredAsServiceError(response, outcome, options.functionArn)) return;
    writeHead(response, outcome.requestId);
    if (outcome.kind === 'succeeded' && outcome.body.length > 0)
      response.write(payloadChunk(outcome.body));
    response.end(invokeComplete(outcome, options.tail));
    return;
  }
  const { stream } = started;
  writeHead(response, stream.requestId);
  await relay(stream, response);
  const outcome = await stream.outcome;
  if (!response.destroyed) response.end(invokeComplete(outcome, options.tail));
}

function writeHead(response: ServerResponse, requestId: string): void {
  response.writeHead(200, {
    'Content-Type': 'application/vnd.amazon.eventstream',
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-RequestId': requestId,
  });
  // The SDK resolves its command once the headers arrive; the first event may be a while.
  response.flushHeaders();
}

/** Each chunk as one PayloadChunk, with backpressure; a caller that hangs up stops reading. */
async function relay(stream: StreamedResponse, response: ServerResponse): Promise<void> {
  const gone = () => stream.body.resume();
  response.once('close', gone);
  for await (const chunk of stream.body) {
    if (response.destroyed) break;
    if (!response.write(payloadChunk(chunk as Buffer)))
      await new Promise<void>((resolve) => {
        response.once('drain', resolve);
        response.once('close', resolve);
      });
  }
  response.off('close', gone);
  if (response.destroyed) stream.body.resume();
}

function payloadChunk(bytes: Buffer): Buffer {
  return encodeEvent('PayloadChunk', 'application/octet-stream', bytes);
}

/** How the invocation ended: ErrorCode is the error type, ErrorDetails its JSON. */
function invokeComplete(outcome: InvocationOutcome, tail: boolean): Buffer {
  const event: Record<string, string> = {};
  const errorCode = outcomeErrorType(outcome);
  if (errorCode !== undefined) {
    event.ErrorCode = errorCode;
    event.ErrorDetails =
      outcome.kind === 'function-error'
        ? outcome.body.toString('utf8')
        : JSON.stringify(platformErrorPayload(outcome));
  }
  if (tail) event.LogResult = logTail(outcome.logs).toString('base64');
  return encodeEvent('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(event)));
}
