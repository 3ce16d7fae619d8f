/**
 * Reading a function's return value under payload format 2.0. A value with a statusCode is a proxy
 * response (statusCode, headers, cookies → one set-cookie each, body, isBase64Encoded). Any other
 * valid JSON is inferred as 200 application/json with that JSON as the body; a JSON string becomes
 * the body itself ("Hello" → Hello), as the AWS docs' interpretation table shows.
 */
import type { ParsedResponse } from './gateway-response.js';
import {
  isPlainObject,
  notJson,
  parseJson,
  readHeaderObject,
  readStatusCode,
  withBody,
} from './proxy-response.js';

export function parseV2Response(payload: Buffer): ParsedResponse {
  const text = payload.toString('utf8');
  const parsed = parseJson(text);
  if (!parsed) return notJson();
  const { value } = parsed;

  if (!isPlainObject(value) || !('statusCode' in value)) {
    const body = typeof value === 'string' ? value : text;
    return {
      ok: true,
      response: {
        statusCode: 200,
        headers: [['content-type', 'application/json']],
        body: Buffer.from(body, 'utf8'),
      },
    };
  }

  const statusCode = readStatusCode(value.statusCode);
  if (typeof statusCode === 'string') return { ok: false, reason: statusCode };

  const headers = readHeaderObject(value.headers);
  if (typeof headers === 'string') return { ok: false, reason: headers };
  if (value.cookies !== undefined && value.cookies !== null) {
    if (
      !Array.isArray(value.cookies) ||
      value.cookies.some((cookie) => typeof cookie !== 'string')
    ) {
      return { ok: false, reason: 'cookies must be an array of strings' };
    }
    for (const cookie of value.cookies as string[]) headers.push(['set-cookie', cookie]);
  }

  return withBody(statusCode, headers, value);
}
