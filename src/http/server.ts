/**
 * The one way lbuild makes an HTTP server (API Gateway front, Function URLs, Invoke API, static
 * site, Runtime API), so each of them gets the same defences against slow or broken clients:
 *
 * - headers must arrive within 10 s (a slowloris client sending a byte a second is cut off then;
 *   Node's default is 60 s);
 * - a request must be fully received within 2 minutes (API Gateway's uploads are 10 MB at most);
 *   the Runtime API, whose requests carry streamed responses for up to 15 minutes, opts out;
 * - an idle keep-alive connection is closed after 5 s (Node's default, stated here);
 * - these are checked every second, not every 30 s (Node's default interval would let a slow
 *   client hold a connection up to 40 s past its deadline);
 * - HTTP/0.9 ("GET /" with no version, which Node's parser accepts) is refused with 505: no
 *   real client sends it and none of these servers can answer in it.
 *
 * Oversized heads (over 16 KB) are refused by Node's parser with 431, malformed requests with 400.
 */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';

export interface ServerTimeouts {
  /** Time for a request's headers to arrive. */
  headersMs: number;
  /** Time for a whole request (headers and body) to arrive; 0 means no limit. */
  requestMs: number;
  /** Time an idle keep-alive connection stays open. */
  keepAliveMs: number;
}

export const defaultServerTimeouts: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 120_000,
  keepAliveMs: 5_000,
};

/** How often Node checks the header and request deadlines of open connections. */
const deadlineCheckMs = 1_000;

export function createHttpServer(
  listener: (request: IncomingMessage, response: ServerResponse) => void,
  timeouts: Partial<ServerTimeouts> = {},
): Server {
  const { headersMs, requestMs, keepAliveMs } = { ...defaultServerTimeouts, ...timeouts };
  const guarded: RequestListener = (request, response) => {
    if (request.httpVersionMajor === 0) return refuseHttp09(response);
    listener(request, response);
  };
  const server = createServer({ connectionsCheckingInterval: deadlineCheckMs }, guarded);
  // Node requires headersTimeout <= requestTimeout unless the request timeout is off.
  server.requestTimeout = requestMs;
  server.headersTimeout = requestMs === 0 ? headersMs : Math.min(headersMs, requestMs);
  server.keepAliveTimeout = keepAliveMs;
  return server;
}

function refuseHttp09(response: ServerResponse): void {
  const body = 'HTTP Version Not Supported\n';
  response.writeHead(505, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  response.end(body);
}
