/**
 * The response the gateway sends to the client, and the gateway's own error answers. The bodies are
 * the exact JSON API Gateway returns, because clients (and tests ported from production) match on them.
 */
import type { Readable } from 'node:stream';
import type { InvocationOutcome } from '../types.js';

export interface GatewayResponse {
  statusCode: number;
  /** In order; a name may repeat (one set-cookie per cookie). */
  headers: Array<[string, string]>;
  body: Buffer;
  /** A REST route in STREAM mode: the body follows `body`, as the function writes it. */
  stream?: StreamingBody;
}

/** A response body the function is still writing. */
export interface StreamingBody {
  body: Readable;
  /** How the invocation ended; anything but success means the client's response is cut short. */
  outcome: Promise<InvocationOutcome>;
}

/** The result of reading a function's return value as a proxy response. */
export type ParsedResponse =
  { ok: true; response: GatewayResponse } | { ok: false; reason: string };

export function messageResponse(statusCode: number, message: string): GatewayResponse {
  return {
    statusCode,
    headers: [['content-type', 'application/json']],
    body: Buffer.from(JSON.stringify({ message })),
  };
}

export const gatewayErrors = {
  /** HTTP API: no route matched. */
  notFound: () => messageResponse(404, 'Not Found'),
  /** REST API: no resource/method matched (yes, AWS says this, not 404). */
  missingAuthenticationToken: () => messageResponse(403, 'Missing Authentication Token'),
  /** The function failed, or returned something that is not a proxy response. */
  internalServerError: () => messageResponse(502, 'Internal server error'),
  /** Lambda refused the invocation (unknown function): API Gateway answers 500, not 502. */
  invocationRejected: () => messageResponse(500, 'Internal server error'),
  requestTooLarge: () => messageResponse(413, 'Request Entity Too Large'),
  throttled: () => messageResponse(429, 'Too Many Requests'),
  /** REST API: the integration timeout (29 s) passed before the function answered. */
  restIntegrationTimeout: () => messageResponse(504, 'Endpoint request timed out'),
  /** HTTP API: the integration timeout (30 s) passed before the function answered. */
  httpIntegrationTimeout: () => messageResponse(503, 'Service Unavailable'),
};
