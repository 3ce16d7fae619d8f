/** GET /runtime/invocation/next: park the long poll until the worker delivers an event. */
import { sendJson } from '../../../http/json.js';
import type { ApiReply } from '../exchange.js';
import { runtimeApiError, runtimeHeaders } from '../protocol.js';
import type { RouteContext } from '../route-context.js';
import type { DeliveredInvocation } from '../worker-endpoint.js';

export function nextInvocation({ request, reply, endpoint }: RouteContext): void {
  request.discard();
  const refusal = endpoint.rejectNext();
  if (refusal) {
    endpoint.releaseAcknowledgement();
    sendJson(reply, 403, runtimeApiError('InvalidStateTransition', refusal));
    return;
  }
  endpoint.park(reply, (invocation) => writeEvent(reply, invocation));
}

function writeEvent(reply: ApiReply, invocation: DeliveredInvocation): void {
  const headers: Record<string, string | number> = {
    // aws-lambda-ric waits forever for an event that is not labelled JSON.
    'Content-Type': 'application/json',
    'Content-Length': invocation.payload.length,
    [runtimeHeaders.requestId]: invocation.requestId,
    [runtimeHeaders.deadlineMs]: String(invocation.deadlineMs),
    [runtimeHeaders.functionArn]: invocation.functionArn,
    [runtimeHeaders.traceId]: invocation.traceId,
  };
  if (invocation.clientContext !== undefined)
    headers[runtimeHeaders.clientContext] = oneLine(invocation.clientContext);
  if (invocation.cognitoIdentity !== undefined)
    headers[runtimeHeaders.cognitoIdentity] = oneLine(invocation.cognitoIdentity);
  reply.send(200, headers, invocation.payload);
}

/** Caller-supplied JSON travels in a header: its line breaks are insignificant white space there. */
function oneLine(json: string): string {
  return json.replace(/[\r\n\0]+/g, ' ');
}
