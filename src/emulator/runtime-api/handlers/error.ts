/** POST /runtime/invocation/{id}/error: the function failed; the body is Lambda's error JSON. */
import { sendJson } from '../../../http/json.js';
import { reportedErrorType, runtimeHeaders } from '../protocol.js';
import type { RouteContext } from '../route-context.js';
import { receiveResult } from './result.js';

export async function invocationError(context: RouteContext): Promise<void> {
  const result = await receiveResult(context);
  if (!result) return;
  const errorType = reportedErrorType(
    context.request.header(runtimeHeaders.functionErrorType),
    result.body,
  );
  context.endpoint.complete(result.requestId, {
    kind: 'error',
    report: { errorType, body: result.body },
    ...result.facts,
  });
  sendJson(context.reply, 202, { status: 'OK' });
}
