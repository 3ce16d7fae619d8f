/**
 * What POST .../response and POST .../error share: the request id must be the invocation in
 * progress (checked again after the body, which may have outlived a timeout), the body is at most
 * 6 MB (an oversized one completes the invocation as too large: 413), and lbuild's bootstraps add
 * facts about the runtime in headers.
 */
import { sendJson } from '../../../http/json.js';
import type { ApiRequest } from '../exchange.js';
import {
  maxResponseBytes,
  parseMaxRssKb,
  parseOutputMark,
  runtimeApiError,
  runtimeHeaders,
  type RuntimeFacts,
} from '../protocol.js';
import type { RouteContext } from '../route-context.js';

export interface ReceivedResult {
  requestId: string;
  body: Buffer;
  facts: RuntimeFacts;
}

/** The posted result, or undefined when this function has already answered the request. */
export async function receiveResult({
  request,
  reply,
  endpoint,
  params,
}: RouteContext): Promise<ReceivedResult | undefined> {
  const requestId = params[0] ?? '';
  const refusal = endpoint.rejectRequestId(requestId);
  if (refusal) {
    request.discard();
    sendJson(reply, 400, runtimeApiError('InvalidRequestID', refusal));
    return undefined;
  }
  const body = await request.body(maxResponseBytes);
  const lateRefusal = endpoint.rejectRequestId(requestId);
  if (lateRefusal) {
    sendJson(reply, 400, runtimeApiError('InvalidRequestID', lateRefusal));
    return undefined;
  }
  const facts = runtimeFacts(request);
  if (!body.ok) {
    endpoint.complete(requestId, { kind: 'too-large', bytes: body.bytes, ...facts });
    sendJson(
      reply,
      413,
      runtimeApiError(
        'RequestEntityTooLarge',
        `Exceeded maximum allowed payload size (${maxResponseBytes} bytes).`,
      ),
    );
    return undefined;
  }
  return { requestId, body: body.body, facts };
}

function runtimeFacts(request: ApiRequest): RuntimeFacts {
  const output = parseOutputMark(request.header(runtimeHeaders.outputBytes));
  const maxRssKb = parseMaxRssKb(request.header(runtimeHeaders.maxRssKb));
  return { ...(output ? { output } : {}), ...(maxRssKb !== undefined ? { maxRssKb } : {}) };
}
