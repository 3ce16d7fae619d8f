/** POST /runtime/invocation/{id}/error: the function failed; the body is Lambda's error JSON. */
import { headerValue, readBody, sendJson } from '../http-util.js';
import { maxResponseBytes, parseOutputMark, reportedErrorType, runtimeApiError, runtimeHeaders } from '../protocol.js';
import type { RouteContext } from '../route-context.js';

export async function invocationError({ request, response, endpoint, params }: RouteContext): Promise<void> {
  const requestId = params[0] ?? '';
  const refusal = endpoint.rejectRequestId(requestId);
  if (refusal) {
    request.resume();
    sendJson(response, 400, runtimeApiError('InvalidRequestID', refusal));
    return;
  }
  const body = await readBody(request, maxResponseBytes);
  const lateRefusal = endpoint.rejectRequestId(requestId);
  if (lateRefusal) {
    sendJson(response, 400, runtimeApiError('InvalidRequestID', lateRefusal));
    return;
  }
  const output = parseOutputMark(headerValue(request, runtimeHeaders.outputBytes));
  if (!body.ok) {
    endpoint.complete(requestId, { kind: 'too-large', bytes: body.bytes, ...(output ? { output } : {}) });
    sendJson(response, 413, runtimeApiError('RequestEntityTooLarge', `Exceeded maximum allowed payload size (${maxResponseBytes} bytes).`));
    return;
  }
  const errorType = reportedErrorType(headerValue(request, runtimeHeaders.functionErrorType), body.body);
  endpoint.complete(requestId, { kind: 'error', report: { errorType, body: body.body }, ...(output ? { output } : {}) });
  sendJson(response, 202, { status: 'OK' });
}
