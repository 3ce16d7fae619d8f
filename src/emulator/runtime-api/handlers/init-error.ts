/** POST /runtime/init/error: the runtime could not load the handler; Lambda resets the environment. */
import { headerValue, readBody, sendJson } from '../http-util.js';
import { maxResponseBytes, reportedErrorType, runtimeApiError, runtimeHeaders } from '../protocol.js';
import type { RouteContext } from '../route-context.js';

export async function initError({ request, response, endpoint }: RouteContext): Promise<void> {
  if (endpoint.state === 'closed') {
    request.resume();
    sendJson(response, 403, runtimeApiError('InvalidStateTransition', 'the execution environment is shutting down'));
    return;
  }
  const body = await readBody(request, maxResponseBytes);
  const report = body.ok
    ? { errorType: reportedErrorType(headerValue(request, runtimeHeaders.functionErrorType), body.body), body: body.body }
    : { errorType: 'Runtime.InitError', body: Buffer.from(JSON.stringify({ errorType: 'Runtime.InitError', errorMessage: `init error report too large (${body.bytes} bytes)` })) };
  endpoint.initError(report);
  sendJson(response, 202, { status: 'OK' });
}
