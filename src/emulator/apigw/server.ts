/**
 * The API Gateway front on node:http. Listens on 127.0.0.1 by default (a dev server should not be
 * reachable from the network unless asked), reads the body up to API Gateway's 10 MB payload quota,
 * hands the request to the gateway core and writes its answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvironmentError } from '../../errors.js';
import { createGateway, type AccessRecord, type Gateway, type GatewayConfig } from './gateway.js';
import { gatewayErrors, type GatewayResponse } from './gateway-response.js';
import type { GatewayRequest } from './request.js';

/** API Gateway's payload quota (HTTP and REST APIs); the 6 MB Lambda limit is checked on the event. */
export const maxRequestBodyBytes = 10 * 1024 * 1024;

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

type BodyResult = { ok: true; body: Buffer } | { ok: false };

/** Read the body; past the limit keep draining (so the client sees our 413, not a reset) but drop it. */
function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * 4)
        req.destroy(); // a runaway upload: stop paying for it
      else chunks.length = 0;
    });
    req.on('end', () =>
      resolve(size <= limit ? { ok: true, body: Buffer.concat(chunks) } : { ok: false }),
    );
    req.on('error', reject);
  });
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

function writeResponse(res: ServerResponse, response: GatewayResponse): void {
  const flat: string[] = [];
  for (const [name, value] of response.headers) {
    if (gatewayOwned.has(name.toLowerCase())) continue;
    flat.push(name, value);
  }
  flat.push('content-length', String(response.body.length));
  res.writeHead(response.statusCode, flat);
  res.end(response.body);
}

/** A request handler for node:http, for mounting the gateway in another server. */
export function createGatewayListener(
  gateway: Gateway,
  onRequest?: (record: AccessRecord) => void,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let body: BodyResult;
    try {
      body = await readBody(req, maxRequestBodyBytes);
    } catch {
      res.destroy();
      return;
    }
    if (!body.ok) {
      const response = gatewayErrors.requestTooLarge();
      response.headers.push(['connection', 'close']);
      writeResponse(res, response);
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
    if (!res.destroyed) writeResponse(res, response);
    onRequest?.(record);
  };
}

/** Start the API Gateway emulator. A busy port is an EnvironmentError naming the port and the fix. */
export async function startGateway(options: GatewayServerOptions): Promise<RunningGateway> {
  const gateway = createGateway(options);
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 3000;
  const listener = createGatewayListener(gateway, options.onRequest);
  const server = createServer((req, res) => void listener(req, res));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(listenError(error, host, requestedPort));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(requestedPort, host);
  });

  const port = (server.address() as AddressInfo).port;
  const displayHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${displayHost}:${port}${gateway.flavour === 'rest' ? `/${gateway.stage}` : ''}`,
    host,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): EnvironmentError {
  if (error.code === 'EADDRINUSE') {
    return new EnvironmentError(
      `port ${port} on ${host} is already in use, so the API gateway cannot start`,
      {
        cause: error,
        hint: `Stop the program using it (\`lsof -i :${port}\` or \`ss -ltnp 'sport = :${port}'\` shows which), or choose another port with --port (or "api": {"port": N} in lbuild.json).`,
        details: { host, port },
      },
    );
  }
  if (error.code === 'EACCES') {
    return new EnvironmentError(`not allowed to listen on ${host}:${port}`, {
      cause: error,
      hint: 'Ports below 1024 need root; use a port of 1024 or more (e.g. 3000).',
      details: { host, port },
    });
  }
  return new EnvironmentError(`cannot listen on ${host}:${port}: ${error.message}`, {
    cause: error,
    details: { host, port },
  });
}
