/**
 * The response the gateway sends to the client, and the gateway's own error answers. The bodies are
 * the exact JSON API Gateway returns, because clients (and tests ported from production) match on them.
 */

export interface GatewayResponse {
  statusCode: number;
  /** In order; a name may repeat (one set-cookie per cookie). */
  headers: Array<[string, string]>;
  body: Buffer;
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

/** Header values from a function response: strings as-is; numbers and booleans as text. */
export function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A response's `headers` object as name/value pairs in order, or why it is malformed. */
export function readHeaderObject(headers: unknown): Array<[string, string]> | string {
  if (headers === undefined || headers === null) return [];
  if (!isPlainObject(headers)) return 'headers must be an object of strings';
  const pairs: Array<[string, string]> = [];
  for (const [name, raw] of Object.entries(headers)) {
    const text = headerText(raw);
    if (text === undefined) return `header ${name} must be a string`;
    pairs.push([name, text]);
  }
  return pairs;
}

/** statusCode may be a number or a numeric string; anything else makes the response malformed. */
export function readStatusCode(value: unknown): number | undefined {
  const code = typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value) : value;
  return typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 599
    ? code
    : undefined;
}

/** Decode the response body: base64 when the function says so, UTF-8 text otherwise. */
export function readBody(body: unknown, isBase64Encoded: unknown): Buffer | string {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body !== 'string')
    return 'body must be a string (JSON.stringify it, or json.dumps in Python)';
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== 'boolean')
    return 'isBase64Encoded must be a boolean';
  return isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
