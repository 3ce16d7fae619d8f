/**
 * An invocation in the runtime's terms and back: the event handed to the worker's Runtime API
 * endpoint, and the outcome the runtime's reply makes.
 */
import type { ResolvedFunction } from '../../../config/load.js';
import type { EndpointInvocation, RuntimeReply } from '../../runtime-api/worker-endpoint.js';
import type { InvocationOutcome, InvokeRequest } from '../../types.js';

/** What every outcome of one invocation carries. */
export interface OutcomeBase {
  requestId: string;
  logs: string[];
  durationMs: number;
  initDurationMs?: number;
}

export function endpointInvocation(
  fn: ResolvedFunction,
  functionArn: string,
  request: InvokeRequest,
  ids: { requestId: string; traceId: string },
): EndpointInvocation {
  return {
    requestId: ids.requestId,
    payload: request.payload,
    timeoutMs: fn.timeout * 1000,
    functionArn,
    traceId: ids.traceId,
    ...(request.clientContext ? { clientContext: decodeClientContext(request.clientContext) } : {}),
  };
}

/** The outcome of a reply, with the runtime's own peak RSS when it sent one. */
export function replyOutcome(
  base: OutcomeBase,
  reply: Exclude<RuntimeReply, { kind: 'stream' }>,
): { outcome: InvocationOutcome; runtimeRssKb?: number } {
  const runtime = reply.maxRssKb !== undefined ? { runtimeRssKb: reply.maxRssKb } : {};
  if (reply.kind === 'response')
    return { outcome: { ...base, kind: 'succeeded', body: reply.body }, ...runtime };
  if (reply.kind === 'error')
    return {
      outcome: {
        ...base,
        kind: 'function-error',
        errorType: reply.report.errorType,
        body: reply.report.body,
      },
      ...runtime,
    };
  return { outcome: { ...base, kind: 'response-too-large', bytes: reply.bytes }, ...runtime };
}

/** The Invoke API takes base64 JSON; runtimes receive the JSON itself in Lambda-Runtime-Client-Context. */
function decodeClientContext(value: string): string {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.trim().startsWith('{') ? decoded : value;
}
