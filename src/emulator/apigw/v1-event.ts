/**
 * Payload format 1.0: the REST API proxy event, also sent by HTTP APIs configured for "1.0" (which add
 * `"version": "1.0"`). https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 * Single-value maps keep the LAST value of a repeated header or query key (multiValue* keep them all);
 * absent maps are null, not {}. A REST API keeps the client's header spelling; an HTTP API
 * lower-cases header names. On a REST API `path` is the path after the stage, and
 * requestContext.path is the full path including "/{stage}".
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
  type GatewayRequest,
  type RequestInfo,
  type RouteMatch,
} from './request.js';

export type ApiFlavour = 'http' | 'rest';

export interface V1Event {
  version?: '1.0';
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    extendedRequestId: string;
    httpMethod: string;
    identity: Record<string, string | null>;
    path: string;
    protocol: string;
    requestId: string;
    requestTime: string;
    requestTimeEpoch: number;
    resourceId: string | null;
    resourcePath: string;
    stage: string;
  };
  body: string | null;
  isBase64Encoded: boolean;
}

export interface V1Options {
  flavour: ApiFlavour;
  /** REST only: the path below the stage ("/items" for a request to "/dev/items"). */
  pathInStage?: string;
}

function lastValues(grouped: Map<string, string[]>): Record<string, string> | null {
  if (grouped.size === 0) return null;
  return Object.fromEntries([...grouped].map(([key, values]) => [key, values[values.length - 1]!]));
}

function allValues(grouped: Map<string, string[]>): Record<string, string[]> | null {
  return grouped.size === 0 ? null : Object.fromEntries(grouped);
}

export function buildV1Event(
  request: GatewayRequest,
  route: RouteMatch,
  info: RequestInfo,
  options: V1Options,
): V1Event {
  const rest = options.flavour === 'rest';
  const headers = groupPairs(request.headers, !rest);
  const query = groupPairs(parseQuery(request.rawQueryString));
  const fullPath = safeDecode(request.rawPath);
  return {
    ...(rest ? {} : { version: '1.0' as const }),
    resource: route.resource,
    path: rest ? safeDecode(options.pathInStage ?? request.rawPath) : fullPath,
    httpMethod: request.method,
    headers: lastValues(headers),
    multiValueHeaders: allValues(headers),
    queryStringParameters: lastValues(query),
    multiValueQueryStringParameters: allValues(query),
    pathParameters: nonEmptyCopy(route.pathParameters) ?? null,
    stageVariables: nonEmptyCopy(info.stageVariables) ?? null,
    requestContext: v1RequestContext(request, route, info, fullPath),
    ...(request.body.length > 0
      ? encodeBody(request.body, headerValue(request, 'content-type'))
      : { body: null, isBase64Encoded: false }),
  };
}

/** requestContext.path is the full path, "/{stage}" included, decoded. */
function v1RequestContext(
  request: GatewayRequest,
  route: RouteMatch,
  info: RequestInfo,
  fullPath: string,
): V1Event['requestContext'] {
  return {
    accountId: info.accountId,
    apiId: info.apiId,
    ...domainFields(request),
    extendedRequestId: info.requestId,
    httpMethod: request.method,
    identity: {
      accessKey: null,
      accountId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: request.sourceIp,
      user: null,
      userAgent: headerValue(request, 'user-agent') ?? null,
      userArn: null,
    },
    path: fullPath,
    protocol: request.protocol,
    requestId: info.requestId,
    requestTime: formatClfTime(info.timeEpoch),
    requestTimeEpoch: info.timeEpoch,
    resourceId: null,
    resourcePath: route.resource,
    stage: info.stage,
  };
}
