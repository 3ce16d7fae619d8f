/**
 * CORS as API Gateway HTTP APIs do it when a CORS configuration exists: the gateway answers preflight
 * OPTIONS requests itself (no route or function needed), adds the configured headers to every
 * response for an allowed origin, and drops any Access-Control-* headers the function returned.
 * A disallowed origin gets no CORS headers at all, so the browser blocks the call, as in AWS.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */
import type { CorsConfig } from '../../config/types.js';
import type { GatewayResponse } from './gateway-response.js';
import { headerValue, type GatewayRequest } from './request.js';

export function isPreflight(request: GatewayRequest): boolean {
  return (
    request.method === 'OPTIONS' &&
    headerValue(request, 'origin') !== undefined &&
    headerValue(request, 'access-control-request-method') !== undefined
  );
}

/** The value for Access-Control-Allow-Origin, or undefined when the origin is not allowed. */
export function allowedOrigin(cors: CorsConfig, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  const origins = cors.allowOrigins ?? [];
  // A credentialed response may not say "*": browsers reject it, so echo the origin instead.
  if (origins.includes('*')) return cors.allowCredentials ? origin : '*';
  const lower = origin.toLowerCase();
  return origins.some((allowed) => allowed.toLowerCase() === lower) ? origin : undefined;
}

function list(
  values: string[] | undefined,
  requested: string | undefined,
  credentials: boolean,
): string | undefined {
  if (!values || values.length === 0) return undefined;
  // "*" is not honoured by browsers on credentialed requests; echoing what was asked is equivalent.
  if (values.includes('*') && credentials && requested) return requested;
  return values.join(',');
}

/** The gateway's own 204 answer to a preflight. */
export function preflightResponse(cors: CorsConfig, request: GatewayRequest): GatewayResponse {
  const headers: Array<[string, string]> = [];
  const origin = allowedOrigin(cors, headerValue(request, 'origin'));
  if (origin !== undefined) {
    const credentials = cors.allowCredentials === true;
    headers.push(['access-control-allow-origin', origin]);
    if (credentials) headers.push(['access-control-allow-credentials', 'true']);
    const methods = list(
      cors.allowMethods,
      headerValue(request, 'access-control-request-method'),
      credentials,
    );
    if (methods) headers.push(['access-control-allow-methods', methods]);
    const allowHeaders = list(
      cors.allowHeaders,
      headerValue(request, 'access-control-request-headers'),
      credentials,
    );
    if (allowHeaders) headers.push(['access-control-allow-headers', allowHeaders]);
    if (cors.maxAge !== undefined) headers.push(['access-control-max-age', String(cors.maxAge)]);
    if (origin !== '*') headers.push(['vary', 'Origin']);
  }
  return { statusCode: 204, headers, body: Buffer.alloc(0) };
}

/** The CORS headers the configuration adds to an actual (not preflight) response. */
export function configuredCorsHeaders(
  cors: CorsConfig,
  request: GatewayRequest,
): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const origin = allowedOrigin(cors, headerValue(request, 'origin'));
  if (origin !== undefined) {
    headers.push(['access-control-allow-origin', origin]);
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
    if (cors.exposeHeaders && cors.exposeHeaders.length > 0)
      headers.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
    if (origin !== '*') headers.push(['vary', 'Origin']);
  }
  return headers;
}

/** Replace the function's CORS headers with the configured ones (for an allowed origin). */
export function applyCors(
  cors: CorsConfig,
  request: GatewayRequest,
  response: GatewayResponse,
): GatewayResponse {
  const headers = response.headers.filter(
    ([name]) => !name.toLowerCase().startsWith('access-control-'),
  );
  headers.push(...configuredCorsHeaders(cors, request));
  return { ...response, headers };
}
