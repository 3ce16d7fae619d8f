/**
 * CORS on a function URL: with a configuration, Lambda answers preflights itself (apigw/cors.ts's
 * preflight answer; the function never runs) and adds the configured headers to every response.
 * Unlike API Gateway, the function's own CORS headers survive unless the configuration sets the
 * same header: "If there are conflicting headers, the configured CORS headers on the function URL
 * take precedence." https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors
 */
import type { CorsConfig } from '../../config/types.js';
import { configuredCorsHeaders } from '../apigw/cors.js';
import type { GatewayResponse } from '../apigw/gateway-response.js';
import type { GatewayRequest } from '../apigw/request.js';

export function applyUrlCors(
  cors: CorsConfig,
  request: GatewayRequest,
  response: GatewayResponse,
): GatewayResponse {
  const configured = configuredCorsHeaders(cors, request);
  const replaced = new Set(
    configured.map(([name]) => name.toLowerCase()).filter((name) => name !== 'vary'),
  );
  return {
    ...response,
    headers: [
      ...response.headers.filter(([name]) => !replaced.has(name.toLowerCase())),
      ...configured,
    ],
  };
}
