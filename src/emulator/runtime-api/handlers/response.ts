/** POST /runtime/invocation/{id}/response: the function's result, at most 6 MB, or a stream. */
import { sendJson } from '../../../http/json.js';
import type { RouteContext } from '../route-context.js';
import { receiveResult } from './result.js';
import { isStreamedResponse, streamedResponse } from './stream-response.js';

const accepted = { status: 'OK' };

export async function invocationResponse(context: RouteContext): Promise<void> {
  if (isStreamedResponse(context)) return streamedResponse(context);
  const result = await receiveResult(context);
  if (!result) return;
  const { reply, endpoint, pipelined } = context;
  endpoint.complete(result.requestId, { kind: 'response', body: result.body, ...result.facts });
  // A bootstrap that sent its next /next along with this response waits for the next event anyway:
  // its 202 then travels with that event (one wake-up of the runtime instead of two).
  if (pipelined())
    endpoint.holdAcknowledgement(() => !reply.finished && sendJson(reply, 202, accepted));
  else sendJson(reply, 202, accepted);
}
