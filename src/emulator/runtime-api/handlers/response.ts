/** POST /runtime/invocation/{id}/response: the function's result, at most 6 MB. */
import { readBody, sendJson } from '../http-util.js';
import { maxResponseBytes, runtimeApiError } from '../protocol.js';
import type { RouteContext } from '../route-context.js';

export async function invocationResponse({ request, response, endpoint, params }: RouteContext): Promise<void> {
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
  if (!body.ok) {
    endpoint.complete(requestId, { kind: 'too-large', bytes: body.bytes });
    sendJson(response, 413, runtimeApiError('RequestEntityTooLarge', `Exceeded maximum allowed payload size (${maxResponseBytes} bytes).`));
    return;
  }
  endpoint.complete(requestId, { kind: 'response', body: body.body });
  sendJson(response, 202, { status: 'OK' });
}
