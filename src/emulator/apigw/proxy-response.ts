/**
 * Reading the parts of a function's return value that payload formats 1.0 and 2.0 share. Each
 * reader returns the part, or a string saying why the response is malformed (answered with a 502).
 */
import type { GatewayResponse, ParsedResponse } from './gateway-response.js';

/** The function's return value as JSON; undefined when it is not JSON at all. */
export function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

export function notJson(): ParsedResponse {
  return { ok: false, reason: 'the function returned something that is not JSON' };
}

/** The last part read, the body, decides: the complete response, or why it is malformed. */
export function withBody(
  statusCode: number,
  headers: GatewayResponse['headers'],
  value: Record<string, unknown>,
): ParsedResponse {
  const body = readBody(value.body, value.isBase64Encoded);
  if (typeof body === 'string') return { ok: false, reason: body };
  return { ok: true, response: { statusCode, headers, body } };
}

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
export function readStatusCode(value: unknown): number | string {
  const code = typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value) : value;
  return typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 599
    ? code
    : `statusCode ${JSON.stringify(value)} is not an HTTP status code`;
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
