/**
 * POST /runtime/invocation/{id}/response with Lambda-Runtime-Function-Response-Mode: streaming.
 * The body is chunked and passed on as it arrives (up to 200 MB); a mid-stream error comes as the
 * trailers Lambda-Runtime-Function-Error-Type and Lambda-Runtime-Function-Error-Body (base64 of the
 * error JSON), which AWS's Node client declares up front in its Trailer header. The 202 is sent
 * when the body has ended, and AWS's client waits for it before it asks for the next event.
 */
import { sendJson } from '../../../http/json.js';
import {
  parseMaxRssKb,
  parseOutputMark,
  runtimeApiError,
  runtimeHeaders,
  type RuntimeErrorReport,
} from '../protocol.js';
import { defaultStreamContentType, type ResponseStream } from '../response-stream.js';
import type { StreamedBody } from '../exchange.js';
import type { RouteContext } from '../route-context.js';

export function isStreamedResponse(context: RouteContext): boolean {
  return context.request.header(runtimeHeaders.responseMode)?.trim().toLowerCase() === 'streaming';
}

export async function streamedResponse({
  request,
  reply,
  endpoint,
  params,
}: RouteContext): Promise<void> {
  const requestId = params[0] ?? '';
  const refusal = endpoint.rejectRequestId(requestId);
  const body = request.stream?.();
  if (refusal || !body) {
    request.discard();
    sendJson(
      reply,
      400,
      refusal
        ? runtimeApiError('InvalidRequestID', refusal)
        : runtimeApiError(
            'InvalidStreamingOperation',
            'streamed responses go to AWS_LAMBDA_RUNTIME_API (HTTP/1.1, chunked)',
          ),
    );
    return;
  }
  const contentType = request.header('content-type')?.trim() || defaultStreamContentType;
  const stream = endpoint.startStream(requestId, contentType)!;
  try {
    await pump(body, stream);
  } finally {
    endpoint.endStream(stream);
  }
  if (!reply.finished) sendJson(reply, 202, { status: 'OK' });
}

async function pump(body: StreamedBody, stream: ResponseStream): Promise<void> {
  try {
    for await (const chunk of body.chunks) {
      // Over 200 MB (or already ended): the rest is read and dropped so the runtime finishes.
      if (!(await stream.write(chunk))) continue;
    }
  } catch {
    stream.broken();
    return;
  }
  const output = parseOutputMark(body.trailer(runtimeHeaders.outputBytes));
  const maxRssKb = parseMaxRssKb(body.trailer(runtimeHeaders.maxRssKb));
  stream.facts = { ...(output ? { output } : {}), ...(maxRssKb !== undefined ? { maxRssKb } : {}) };
  const report = errorTrailers(body);
  if (report) stream.fail(report);
  else stream.complete();
}

/** The error a runtime reported in the trailers, or undefined when the stream ended cleanly. */
function errorTrailers(body: StreamedBody): RuntimeErrorReport | undefined {
  const errorType = body.trailer(runtimeHeaders.functionErrorType)?.trim();
  const encoded = body.trailer(runtimeHeaders.functionErrorBody);
  if (!errorType && !encoded) return undefined;
  const decoded = encoded ? Buffer.from(encoded.trim(), 'base64') : Buffer.alloc(0);
  const report = decoded.length > 0 ? decoded : Buffer.from(JSON.stringify({ errorType }));
  let type = errorType;
  if (!type) {
    try {
      type = String((JSON.parse(report.toString('utf8')) as { errorType?: unknown }).errorType);
    } catch {
      type = 'Unhandled';
    }
  }
  return { errorType: type || 'Unhandled', body: report };
}
