/**
 * HTTP API payload format 2.0: the event API Gateway HTTP APIs send to Lambda.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * Header names are lower-case and repeated headers are comma-joined; the Cookie header moves into
 * `cookies`; repeated query keys are comma-joined in queryStringParameters (rawQueryString keeps all).
 */
import { encodeBody } from './content-type.js';
import {
  domainFields,
  formatClfTime,
  groupPairs,
  headerValue,
  nonEmptyCopy,
  parseQuery,
  safeDecode,
  splitCookies,
  type GatewayRequest,
  type RequestInfo,
  type RouteMatch,
} from './request.js';

export interface V2Event {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}

export function buildV2Event(
  request: GatewayRequest,
  route: RouteMatch,
  info: RequestInfo,
): V2Event {
  const headers: Record<string, string> = {};
  for (const [name, values] of groupPairs(request.headers, true)) {
    if (name === 'cookie') continue;
    headers[name] = values.join(',');
  }
  const cookies = splitCookies(request);

  const query: Record<string, string> = {};
  for (const [key, values] of groupPairs(parseQuery(request.rawQueryString)))
    query[key] = values.join(',');

  const pathParameters = nonEmptyCopy(route.pathParameters);
  const stageVariables = nonEmptyCopy(info.stageVariables);
  const event: V2Event = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    ...(stageVariables ? { stageVariables } : {}),
    requestContext: {
      accountId: info.accountId,
      apiId: info.apiId,
      ...domainFields(request),
      http: {
        method: request.method,
        // API Gateway decodes the path it reports here; rawPath keeps the client's encoding.
        path: safeDecode(request.rawPath),
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headerValue(request, 'user-agent') ?? '',
      },
      requestId: info.requestId,
      routeKey: route.routeKey,
      stage: info.stage,
      time: formatClfTime(info.timeEpoch),
      timeEpoch: info.timeEpoch,
    },
    isBase64Encoded: false,
  };
  // No body at all means no body field (not an empty string), as in AWS.
  if (request.body.length > 0)
    Object.assign(event, encodeBody(request.body, headers['content-type']));
  return event;
}
