/**
 * The gateway without the socket: GatewayRequest in, GatewayResponse out. Routing, CORS, event
 * building, the 6 MB invocation limit, the integration timeout and the outcome mapping live here;
 * server.ts only moves bytes between node:http and this function.
 */
import { randomUUID } from 'node:crypto';
import type { CorsConfig } from '../../config/types.js';
import { localAccountId, randomBase64 } from '../pool/ids.js';
import type { Invoker } from '../types.js';
import { applyCors, isPreflight, preflightResponse } from './cors.js';
import { functionRouteTable, type GatewayFunction, type Target } from './function-routes.js';
import { gatewayErrors, messageResponse, type GatewayResponse } from './gateway-response.js';
import { invokeWithin } from './invoke-within.js';
import { streamRoute } from './stream-route.js';
import { integrationTimeoutResponse, responseForOutcome } from './outcomes.js';
import type { GatewayRequest, RequestInfo, RouteMatch } from './request.js';
import type { RouteTable } from './routes.js';
import { buildV1Event, type ApiFlavour } from './v1-event.js';
import { parseV1Response } from './v1-response.js';
import { buildV2Event } from './v2-event.js';
import { parseV2Response } from './v2-response.js';

/** Lambda's synchronous invocation limit: an event over this is refused (RequestTooLargeException). */
export const maxEventBytes = 6 * 1024 * 1024;

export type { GatewayFunction } from './function-routes.js';

export interface GatewayConfig {
  invoker: Invoker;
  functions: GatewayFunction[];
  cors?: CorsConfig | undefined;
  /** 'http' (API Gateway HTTP API, the default) or 'rest' (REST API: payload 1.0, served under /{stage}). */
  api?: ApiFlavour;
  /** REST only; requests must start with "/{stage}". Default "dev". HTTP APIs always use "$default". */
  stage?: string;
  stageVariables?: Record<string, string>;
  /** Default 30000 for HTTP APIs, 29000 for REST APIs (API Gateway's integration timeouts). */
  integrationTimeoutMs?: number;
  accountId?: string;
  apiId?: string;
}

/** One line of access log: what happened to a request and, for gateway errors, why. */
export interface AccessRecord {
  requestId: string;
  method: string;
  path: string;
  statusCode: number;
  durationMs: number;
  functionName?: string;
  routeKey?: string;
  problem?: string;
}

export interface HandledRequest {
  response: GatewayResponse;
  record: AccessRecord;
}

export interface Gateway {
  readonly flavour: ApiFlavour;
  readonly stage: string;
  handle(request: GatewayRequest): Promise<HandledRequest>;
}

/** API Gateway's integration timeouts: 29 s for REST APIs, 30 s for HTTP APIs. */
export function defaultIntegrationTimeoutMs(flavour: ApiFlavour): number {
  return flavour === 'rest' ? 29_000 : 30_000;
}

/** HTTP API request ids look like "JKJaXmPLvHcESHA="; REST ones are UUIDs. */
function newRequestId(flavour: ApiFlavour): string {
  return flavour === 'rest' ? randomUUID() : randomBase64(10);
}

/** What every request to one gateway shares, worked out once from its config. */
interface GatewaySetup {
  config: GatewayConfig;
  flavour: ApiFlavour;
  stage: string;
  integrationTimeoutMs: number;
  table: RouteTable<Target>;
}

export function createGateway(config: GatewayConfig): Gateway {
  const flavour = config.api ?? 'http';
  const setup: GatewaySetup = {
    config,
    flavour,
    stage: flavour === 'rest' ? (config.stage ?? 'dev') : '$default',
    integrationTimeoutMs: config.integrationTimeoutMs ?? defaultIntegrationTimeoutMs(flavour),
    table: functionRouteTable(config.functions, flavour),
  };
  return { flavour, stage: setup.stage, handle: (request) => handleRequest(setup, request) };
}

/** One request, start to end: CORS preflight or route, the request id header and the access record. */
async function handleRequest(
  setup: GatewaySetup,
  request: GatewayRequest,
): Promise<HandledRequest> {
  const { config, flavour } = setup;
  const started = performance.now();
  const record: AccessRecord = {
    requestId: newRequestId(flavour),
    method: request.method,
    path: request.rawPath,
    statusCode: 0,
    durationMs: 0,
  };
  let response: GatewayResponse;
  const preflight = config.cors !== undefined && isPreflight(request);
  try {
    response = preflight
      ? preflightResponse(config.cors!, request)
      : await route(setup, request, record);
  } catch (error) {
    // The invoker is another component: if it throws instead of returning an outcome, answer like
    // AWS does for an invocation that could not happen, and keep serving.
    record.problem = `invoker failed: ${error instanceof Error ? error.message : String(error)}`;
    response = gatewayErrors.invocationRejected();
  }
  if (config.cors && !preflight) response = applyCors(config.cors, request, response);
  response.headers.push(
    flavour === 'rest'
      ? ['x-amzn-RequestId', record.requestId]
      : ['apigw-requestid', record.requestId],
  );
  record.statusCode = response.statusCode;
  record.durationMs = performance.now() - started;
  return { response, record };
}

interface FoundRoute {
  match: RouteMatch & { target: Target };
  /** REST: the path below "/{stage}"; HTTP: the whole path. */
  pathInStage: string;
}

/** A REST API only answers under its stage; then the route table decides, or AWS's miss answer. */
function findRoute(
  { flavour, stage, table }: GatewaySetup,
  request: GatewayRequest,
  record: AccessRecord,
): FoundRoute | GatewayResponse {
  let pathInStage = request.rawPath;
  if (flavour === 'rest') {
    const stagePrefix = `/${stage}`;
    if (request.rawPath !== stagePrefix && !request.rawPath.startsWith(`${stagePrefix}/`)) {
      record.problem = `REST API paths start with the stage: ${stagePrefix}${request.rawPath}`;
      return messageResponse(403, 'Forbidden');
    }
    pathInStage = request.rawPath.slice(stagePrefix.length) || '/';
  }
  const match = table.match(request.method, pathInStage);
  if (!match) {
    record.problem = 'no route matches';
    return flavour === 'rest'
      ? gatewayErrors.missingAuthenticationToken()
      : gatewayErrors.notFound();
  }
  record.functionName = match.target.fn.name;
  record.routeKey = match.routeKey;
  return { match, pathInStage };
}

async function route(
  setup: GatewaySetup,
  request: GatewayRequest,
  record: AccessRecord,
): Promise<GatewayResponse> {
  const found = findRoute(setup, request, record);
  if (!('match' in found)) return found;
  const { config, flavour, integrationTimeoutMs } = setup;
  const { match, pathInStage } = found;
  const info: RequestInfo = {
    requestId: record.requestId,
    timeEpoch: Date.now(),
    accountId: config.accountId ?? localAccountId,
    apiId: config.apiId ?? 'lbuild',
    stage: setup.stage,
    ...(config.stageVariables ? { stageVariables: config.stageVariables } : {}),
  };
  const v2 = flavour === 'http' && match.target.fn.payloadVersion === '2.0';
  const event = v2
    ? buildV2Event(request, match, info)
    : buildV1Event(request, match, info, { flavour, pathInStage });
  const payload = Buffer.from(JSON.stringify(event));
  if (payload.length > maxEventBytes) {
    record.problem = `the event is ${payload.length} bytes, over Lambda's 6 MB invocation limit`;
    return gatewayErrors.requestTooLarge();
  }

  const fn = match.target.fn.name;
  if (match.target.stream) {
    const streamed = await streamRoute(config.invoker, fn, payload, {
      flavour,
      integrationTimeoutMs,
      parse: parseV1Response,
    });
    if (streamed.problem) record.problem = streamed.problem;
    return streamed.response;
  }
  // A debugger may hold the function as long as it likes: the gateway waits, too.
  const debugged = match.target.fn.debug !== undefined;
  const outcome = await invokeWithin(
    config.invoker,
    fn,
    payload,
    debugged ? undefined : integrationTimeoutMs,
  );
  if (outcome === 'gateway-timeout') {
    record.problem = `integration timed out after ${integrationTimeoutMs} ms`;
    return integrationTimeoutResponse(flavour);
  }
  const mapped = responseForOutcome(outcome, {
    flavour,
    integrationTimeoutMs,
    parse: v2 ? parseV2Response : parseV1Response,
  });
  if (mapped.problem) record.problem = mapped.problem;
  return mapped.response;
}
