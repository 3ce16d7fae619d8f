/** What every Runtime API handler receives: the exchange, the worker's state, the path captures. */
import type { ApiReply, ApiRequest } from './exchange.js';
import type { WorkerEndpoint } from './worker-endpoint.js';

export interface RouteContext {
  request: ApiRequest;
  reply: ApiReply;
  endpoint: WorkerEndpoint;
  /** Captures of the route's pattern, already URI-decoded. */
  params: string[];
  /**
   * True when the client already sent another request on this connection (HTTP pipelining) and
   * this reply should wait for that one's (node:http; lbuild's socket connection does so itself).
   */
  pipelined: () => boolean;
}

export type RouteHandler = (context: RouteContext) => void | Promise<void>;
