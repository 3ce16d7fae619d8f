/** POST /runtime/invocation/{id}/response: the function's result, at most 6 MB. */
import { headerValue, readBody, sendJson } from '../http-util.js';
import { maxResponseBytes, parseOutputMark, runtimeApiError, runtimeHeaders } from '../protocol.js';
import type { RouteContext } from '../route-context.js';

const accepted = { status: 'OK' };

export async function invocationResponse({ request, response, endpoint, params, pipelined }: RouteContext): Promise<void> {
  const requestId = params[0] ?? '';
  const refusal = endpoint.rejectRequestId(requestId);
  if (refusal) {
    request.resume();
    sendJson(response, 400, runtimeApiError('InvalidRequestID', refusal));
    return;
  }
  const body = await readBody(request, maxResponseBytes);
  // The invocation may have timed out (and been abandoned) while its body was still arriving.
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
  endpoint.complete(requestId, { kind: 'response', body: body.body, ...(output ? { output } : {}) });
  // A bootstrap that sent its next /next along with this response waits for the next event anyway:
  // its 202 then travels with that event (one wake-up of the runtime instead of two).
  if (pipelined()) endpoint.holdAcknowledgement(() => !response.destroyed && !response.writableEnded && sendJson(response, 202, accepted));
  else sendJson(response, 202, accepted);
}
