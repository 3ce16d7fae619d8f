/**
 * The API Gateway front on node:http. Listens on 127.0.0.1 by default (a dev server should not be
 * reachable from the network unless asked), reads the body up to API Gateway's 10 MB payload quota,
 * hands the request to the gateway core and writes its answer.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer } from '../../http/close.js';
import { listen, type ListenPurpose } from '../../http/listen.js';
import { createHttpServer } from '../../http/server.js';
import { readBody, type BodyResult } from '../../http/read-body.js';
import { httpUrl } from '../../http/url.js';
import { createGateway, type AccessRecord, type Gateway, type GatewayConfig } from './gateway.js';
import { gatewayErrors, type GatewayResponse, type StreamingBody } from './gateway-response.js';
import type { GatewayRequest } from './request.js';

/** API Gateway's payload quota (HTTP and REST APIs); the 6 MB Lambda limit is checked on the event. */
export const maxRequestBodyBytes = 10 * 1024 * 1024;

const gatewayListenPurpose: ListenPurpose = {
  what: 'API gateway',
  portSetting: 'api.port / --port',
};

export interface GatewayServerOptions extends GatewayConfig {
  /** Default 127.0.0.1. Use 0.0.0.0 inside a container. */
  host?: string;
  /** Default 3000; 0 picks a free port (see RunningGateway.port). */
  port?: number;
  /** Called once per request after the response is written (access log). */
  onRequest?: (record: AccessRecord) => void;
}

export interface RunningGateway {
  /** e.g. "http://127.0.0.1:3000" (with "/dev" appended for a REST API's stage). */
  url: string;
  host: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

function toGatewayRequest(req: IncomingMessage, body: Buffer): GatewayRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: Array<[string, string]> = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  // Like AWS, the function learns the client's address and scheme from X-Forwarded-* headers.
  const port = req.socket.localPort;
  if (!headers.some(([name]) => name.toLowerCase() === 'x-forwarded-for'))
    headers.push(['X-Forwarded-For', sourceIp]);
  if (!headers.some(([name]) => name.toLowerCase() === 'x-forwarded-port') && port)
    headers.push(['X-Forwarded-Port', String(port)]);
  if (!headers.some(([name]) => name.toLowerCase() === 'x-forwarded-proto'))
    headers.push(['X-Forwarded-Proto', 'http']);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath: q < 0 ? url : url.slice(0, q),
    rawQueryString: q < 0 ? '' : url.slice(q + 1),
    headers,
    body,
    sourceIp,
    protocol: `HTTP/${req.httpVersion}`,
  };
}

/** Hop-by-hop and length headers are the gateway's to set, not the function's. */
const gatewayOwned = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

async function writeResponse(res: ServerResponse, response: GatewayResponse): Promise<void> {
  const flat: string[] = [];
  for (const [name, value] of response.headers) {
    if (gatewayOwned.has(name.toLowerCase())) continue;
    flat.push(name, value);
  }
  if (response.stream) return writeStream(res, response.statusCode, flat, response.stream);
  flat.push('content-length', String(response.body.length));
  res.writeHead(response.statusCode, flat);
  res.end(response.body);
}

/**
 * A REST route in STREAM mode: chunked, each piece as the function writes it. A function that
 * fails mid-stream cannot change the status any more: the connection is cut before the last
 * chunk, so the client sees an incomplete response (curl: "transfer closed with outstanding read
 * data remaining") rather than a body that looks whole.
 */
async function writeStream(
  res: ServerResponse,
  statusCode: number,
  headers: string[],
  stream: StreamingBody,
): Promise<void> {
  res.writeHead(statusCode, headers);
  res.flushHeaders();
  const gone = () => stream.body.resume();
  res.once('close', gone);
  for await (const chunk of stream.body) {
    if (res.destroyed) break;
    if (!res.write(chunk))
      await new Promise<void>((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
  }
  const outcome = await stream.outcome.catch(() => undefined);
  if (outcome?.kind === 'succeeded') res.end();
  else res.destroy();
}

/**
 * A request handler for node:http, for mounting the gateway in another server. Function URLs
 * (function-url/server.ts) reuse it: anything that handles a GatewayRequest can be served.
 */
export function createGatewayListener(
  gateway: Pick<Gateway, 'handle'>,
  onRequest?: (record: AccessRecord) => void,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let body: BodyResult;
    try {
      // Past four times the limit a runaway upload is not worth draining: drop the connection.
      body = await readBody(req, maxRequestBodyBytes, { abandonAfter: maxRequestBodyBytes * 4 });
    } catch {
      res.destroy();
      return;
    }
    if (!body.ok) {
      const response = gatewayErrors.requestTooLarge();
      response.headers.push(['connection', 'close']);
      await writeResponse(res, response);
      onRequest?.({
        requestId: '-',
        method: req.method ?? '?',
        path: req.url ?? '/',
        statusCode: 413,
        durationMs: 0,
        problem: 'request body over 10 MB',
      });
      return;
    }
    const { response, record } = await gateway.handle(toGatewayRequest(req, body.body));
    const writing = performance.now();
    if (!res.destroyed) await writeResponse(res, response);
    else response.stream?.body.resume();
    // A streamed response is only over once its last byte is out: the access log counts that.
    if (response.stream) record.durationMs += performance.now() - writing;
    onRequest?.(record);
  };
}

/** Start the API Gateway emulator. A busy port is an EnvironmentError naming the port and the fix. */
export async function startGateway(options: GatewayServerOptions): Promise<RunningGateway> {
  const gateway = createGateway(options);
  const host = options.host ?? '127.0.0.1';
  const listener = createGatewayListener(gateway, options.onRequest);
  const server = createHttpServer((req, res) => void listener(req, res));
  const port = await listen(server, host, options.port ?? 3000, gatewayListenPurpose);
  return {
    url: `${httpUrl(host, port)}${gateway.flavour === 'rest' ? `/${gateway.stage}` : ''}`,
    host,
    port,
    server,
    close: () => closeServer(server),
  };
}
