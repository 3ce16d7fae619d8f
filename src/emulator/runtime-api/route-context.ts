/** What every Runtime API handler receives: the HTTP exchange, the worker's state, the path captures. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WorkerEndpoint } from './worker-endpoint.js';

export interface RouteContext {
  request: IncomingMessage;
  response: ServerResponse;
  endpoint: WorkerEndpoint;
  /** Captures of the route's pattern, already URI-decoded. */
  params: string[];
  /** True when the client already sent another request on this connection (HTTP pipelining). */
  pipelined: () => boolean;
}

export type RouteHandler = (context: RouteContext) => void | Promise<void>;
