/** POST /runtime/init/error: the runtime could not load the handler; Lambda resets the environment. */
import { sendJson } from '../../../http/json.js';
import {
  maxResponseBytes,
  reportedErrorType,
  runtimeApiError,
  runtimeHeaders,
} from '../protocol.js';
import type { RouteContext } from '../route-context.js';

export async function initError({ request, reply, endpoint }: RouteContext): Promise<void> {
  const refusal = endpoint.rejectInitError();
  if (refusal) {
    request.discard();
    sendJson(reply, 403, runtimeApiError('InvalidStateTransition', refusal));
    return;
  }
  const body = await request.body(maxResponseBytes);
  const report = body.ok
    ? {
        errorType: reportedErrorType(request.header(runtimeHeaders.functionErrorType), body.body),
        body: body.body,
      }
    : {
        errorType: 'Runtime.InitError',
        body: Buffer.from(
          JSON.stringify({
            errorType: 'Runtime.InitError',
            errorMessage: `init error report too large (${body.bytes} bytes)`,
          }),
        ),
      };
  endpoint.initError(report);
  sendJson(reply, 202, { status: 'OK' });
}
