/**
 * Reading a function's return value under payload format 1.0 (REST APIs, and HTTP APIs set to 1.0).
 * There is no inference here: without a statusCode the response is malformed (502). headers and
 * multiValueHeaders merge; a name present in both takes only the multiValueHeaders values.
 */
import type { ParsedResponse } from './gateway-response.js';
import {
  headerText,
  isPlainObject,
  notJson,
  parseJson,
  readHeaderObject,
  readStatusCode,
  withBody,
} from './proxy-response.js';

export function parseV1Response(payload: Buffer): ParsedResponse {
  const parsed = parseJson(payload.toString('utf8'));
  if (!parsed) return notJson();
  const { value } = parsed;
  if (!isPlainObject(value))
    return { ok: false, reason: 'the response must be an object with a statusCode' };
  const statusCode = readStatusCode(value.statusCode);
  if (typeof statusCode === 'string') return { ok: false, reason: statusCode };

  const multi = new Map<string, Array<[string, string]>>();
  if (value.multiValueHeaders !== undefined && value.multiValueHeaders !== null) {
    if (!isPlainObject(value.multiValueHeaders))
      return { ok: false, reason: 'multiValueHeaders must be an object of string arrays' };
    for (const [name, list] of Object.entries(value.multiValueHeaders)) {
      if (!Array.isArray(list))
        return { ok: false, reason: `multiValueHeaders.${name} must be an array` };
      const texts = list.map(headerText);
      if (texts.some((text) => text === undefined))
        return { ok: false, reason: `multiValueHeaders.${name} must hold strings` };
      multi.set(
        name.toLowerCase(),
        texts.map((text) => [name, text!]),
      );
    }
  }

  const single = readHeaderObject(value.headers);
  if (typeof single === 'string') return { ok: false, reason: single };
  const headers = single.filter(([name]) => !multi.has(name.toLowerCase()));
  for (const pairs of multi.values()) headers.push(...pairs);

  return withBody(statusCode, headers, value);
}
