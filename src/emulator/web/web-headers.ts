/**
 * What a Lambda Web Function endpoint does to a request before the app sees it, and to the app's
 * response before the client does: pure functions over header lists (rawHeaders pairs), so the
 * rules of the contract are table-tested without a server.
 */

/** The methods Lambda passes to the app; anything else is answered 400 before the app sees it. */
export const webMethods: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'OPTIONS',
  'DELETE',
]);

/** Hop-by-hop headers: they describe one connection, never forwarded either way. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'transfer-encoding',
  'proxy-connection',
]);

/** Dropped from requests as well: the client may not set them (the endpoint decides what they say). */
const requestOnly = new Set([
  'expect',
  'x-real-ip',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
]);

export type HeaderPairs = Array<[string, string]>;

/** rawHeaders ([name, value, name, value...]) as pairs, order and case kept. */
export function headerPairs(raw: string[]): HeaderPairs {
  const pairs: HeaderPairs = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

/** Headers named in Connection are hop-by-hop for this message too. */
function connectionNamed(pairs: HeaderPairs): Set<string> {
  const named = new Set<string>();
  for (const [name, value] of pairs)
    if (name.toLowerCase() === 'connection')
      for (const token of value.split(',')) named.add(token.trim().toLowerCase());
  return named;
}

export interface ForwardedRequestInput {
  headers: HeaderPairs;
  requestId: string;
  endpointName: string;
  clientIp: string;
}

/** The request headers the app receives. */
export function forwardedRequestHeaders(input: ForwardedRequestInput): HeaderPairs {
  const named = connectionNamed(input.headers);
  const kept = input.headers.filter(([name]) => {
    const lower = name.toLowerCase();
    return (
      !hopByHop.has(lower) &&
      !requestOnly.has(lower) &&
      !named.has(lower) &&
      !lower.startsWith('proxy-') &&
      !lower.startsWith('lambda-web-') &&
      lower !== 'x-forwarded-for'
    );
  });
  // The client's own X-Forwarded-For values stay (untrusted); the address Lambda saw comes last.
  const earlier = input.headers
    .filter(([name]) => name.toLowerCase() === 'x-forwarded-for')
    .map(([, value]) => value.trim())
    .filter((value) => value !== '');
  return [
    ...kept,
    ['X-Forwarded-For', [...earlier, input.clientIp].join(', ')],
    ['lambda-web-request-id', input.requestId],
    ['lambda-web-endpoint-name', input.endpointName],
  ];
}

/** The response headers the client receives: the app's, less hop-by-hop ones, plus the request id. */
export function forwardedResponseHeaders(headers: HeaderPairs, requestId: string): HeaderPairs {
  const named = connectionNamed(headers);
  const kept = headers.filter(([name]) => {
    const lower = name.toLowerCase();
    return !hopByHop.has(lower) && !named.has(lower) && lower !== 'lambda-web-request-id';
  });
  return [...kept, ['lambda-web-request-id', requestId]];
}

/** "::ffff:127.0.0.1" → "127.0.0.1": the address as a client would write it. */
export function clientAddress(remote: string | undefined): string {
  if (!remote) return '127.0.0.1';
  return remote.startsWith('::ffff:') ? remote.slice(7) : remote;
}
