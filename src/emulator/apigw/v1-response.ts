/**
 * Reading a function's return value under payload format 1.0 (REST APIs, and HTTP APIs set to 1.0).
 * There is no inference here: without a statusCode the response is malformed (502). headers and
 * multiValueHeaders merge; a name present in both takes only the multiValueHeaders values.
 */
import {
  headerText,
  isPlainObject,
  readBody,
  readHeaderObject,
  readStatusCode,
  type ParsedResponse,
} from './gateway-response.js';

export function parseV1Response(payload: Buffer): ParsedResponse {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, reason: 'the function returned something that is not JSON' };
  }
  if (!isPlainObject(value))
    return { ok: false, reason: 'the response must be an object with a statusCode' };
  const statusCode = readStatusCode(value.statusCode);
  if (statusCode === undefined)
    return {
      ok: false,
      reason: `statusCode ${JSON.stringify(value.statusCode)} is not an HTTP status code`,
    };

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

  const body = readBody(value.body, value.isBase64Encoded);
  if (typeof body === 'string') return { ok: false, reason: body };
  return { ok: true, response: { statusCode, headers, body } };
}
