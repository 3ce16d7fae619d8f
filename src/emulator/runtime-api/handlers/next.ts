/** GET /runtime/invocation/next: park the long poll until the worker delivers an event. */
import type { ServerResponse } from 'node:http';
import { sendJson } from '../http-util.js';
import { runtimeApiError, runtimeHeaders } from '../protocol.js';
import type { RouteContext } from '../route-context.js';
import type { DeliveredInvocation } from '../worker-endpoint.js';

export function nextInvocation({ request, response, endpoint }: RouteContext): void {
  request.resume();
  const refusal = endpoint.rejectNext();
  if (refusal) {
    endpoint.releaseAcknowledgement();
    sendJson(response, 403, runtimeApiError('InvalidStateTransition', refusal));
    return;
  }
  endpoint.park(response, (invocation) => writeEvent(response, invocation));
}

function writeEvent(response: ServerResponse, invocation: DeliveredInvocation): void {
  const headers: Record<string, string | number> = {
    // aws-lambda-ric waits forever for an event that is not labelled JSON.
    'Content-Type': 'application/json',
    'Content-Length': invocation.payload.length,
    [runtimeHeaders.requestId]: invocation.requestId,
    [runtimeHeaders.deadlineMs]: String(invocation.deadlineMs),
    [runtimeHeaders.functionArn]: invocation.functionArn,
    [runtimeHeaders.traceId]: invocation.traceId,
  };
  if (invocation.clientContext !== undefined) headers[runtimeHeaders.clientContext] = invocation.clientContext;
  if (invocation.cognitoIdentity !== undefined) headers[runtimeHeaders.cognitoIdentity] = invocation.cognitoIdentity;
  response.writeHead(200, headers);
  response.end(invocation.payload);
}
