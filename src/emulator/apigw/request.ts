/**
 * The HTTP request as the gateway received it, before any payload-version shaping. The event
 * builders are pure functions of this value plus a RequestInfo, so they are table-tested without a
 * server: the server only fills these fields from node:http.
 */

export interface GatewayRequest {
  /** Upper-case method. */
  method: string;
  /** The path exactly as sent (still percent-encoded), without the query string. */
  rawPath: string;
  /** The query string as sent, without the leading '?'. */
  rawQueryString: string;
  /** Headers in arrival order with the client's spelling; repeated names appear repeatedly. */
  headers: Array<[string, string]>;
  body: Buffer;
  sourceIp: string;
  /** e.g. "HTTP/1.1". */
  protocol: string;
}

/** Facts that the gateway, not the client, decides: ids, clock, stage. */
export interface RequestInfo {
  requestId: string;
  /** Epoch milliseconds when the gateway received the request. */
  timeEpoch: number;
  accountId: string;
  apiId: string;
  /** Stage name: "$default" for HTTP APIs, e.g. "dev" for a REST API. */
  stage: string;
  stageVariables?: Record<string, string>;
}

/** What the router found: the route key and the values of its path variables (decoded). */
export interface RouteMatch {
  /** "GET /items/{id}", "ANY /{proxy+}" or "$default". */
  routeKey: string;
  /** The resource path of the route ("/items/{id}"); for $default the request path. */
  resource: string;
  pathParameters: Record<string, string>;
}

/** Percent-decoding that never throws: API Gateway passes malformed escapes through as-is. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Query pairs in order, decoded (form style: '+' is a space), keys without '=' get "". */
export function parseQuery(rawQueryString: string): Array<[string, string]> {
  if (rawQueryString === '') return [];
  const pairs: Array<[string, string]> = [];
  for (const part of rawQueryString.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([safeDecode(key.replace(/\+/g, ' ')), safeDecode(value.replace(/\+/g, ' '))]);
  }
  return pairs;
}

/** Group pairs by key, keeping first-seen key order and every value. */
export function groupPairs(
  pairs: Array<[string, string]>,
  lowerCaseKeys = false,
): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [rawKey, value] of pairs) {
    const key = lowerCaseKeys ? rawKey.toLowerCase() : rawKey;
    const list = grouped.get(key);
    if (list) list.push(value);
    else grouped.set(key, [value]);
  }
  return grouped;
}

export function headerValue(request: GatewayRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  const values = request.headers
    .filter(([key]) => key.toLowerCase() === lower)
    .map(([, value]) => value);
  return values.length === 0 ? undefined : values.join(',');
}

/** Cookie headers split into single "name=value" entries, as payload 2.0's `cookies` holds them. */
export function splitCookies(request: GatewayRequest): string[] {
  return request.headers
    .filter(([key]) => key.toLowerCase() === 'cookie')
    .flatMap(([, value]) => value.split(';'))
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie !== '');
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Common Log Format time, as API Gateway writes it: "12/Mar/2020:19:03:58 +0000" (always UTC). */
export function formatClfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  );
}

/** Host header without the port: what API Gateway reports as domainName. */
export function domainOf(request: GatewayRequest): string {
  const host = headerValue(request, 'host')?.split(',')[0]?.trim() ?? 'localhost';
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.replace(/:\d+$/, '');
}

/** domainName and its first label, domainPrefix, as both payload formats' requestContext hold them. */
export function domainFields(request: GatewayRequest): {
  domainName: string;
  domainPrefix: string;
} {
  const domainName = domainOf(request);
  return { domainName, domainPrefix: domainName.split('.')[0] ?? domainName };
}

/** A copy of a map that has entries; an empty or absent one is left out of the event. */
export function nonEmptyCopy(
  map: Record<string, string> | undefined,
): Record<string, string> | undefined {
  return map && Object.keys(map).length > 0 ? { ...map } : undefined;
}
