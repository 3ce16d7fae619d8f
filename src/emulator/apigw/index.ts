/** The API Gateway emulator: HTTP API (payload 2.0 / 1.0) and REST API (1.0) in front of an Invoker. */
export {
  startGateway,
  createGatewayListener,
  maxRequestBodyBytes,
  type GatewayServerOptions,
  type RunningGateway,
} from './server.js';
export {
  createGateway,
  maxEventBytes,
  type AccessRecord,
  type Gateway,
  type GatewayConfig,
  type GatewayFunction,
  type HandledRequest,
} from './gateway.js';
export { buildV2Event, type V2Event } from './v2-event.js';
export { buildV1Event, type ApiFlavour, type V1Event, type V1Options } from './v1-event.js';
export { parseV2Response } from './v2-response.js';
export { parseV1Response } from './v1-response.js';
export {
  createRouteTable,
  parseRouteKey,
  defaultRouteKey,
  type RouteTable,
  type ParsedRoute,
} from './routes.js';
export { applyCors, isPreflight, preflightResponse, allowedOrigin } from './cors.js';
export { responseForOutcome, maxResponseBytes } from './outcomes.js';
export { gatewayErrors, type GatewayResponse, type ParsedResponse } from './gateway-response.js';
export type { GatewayRequest, RequestInfo, RouteMatch } from './request.js';
