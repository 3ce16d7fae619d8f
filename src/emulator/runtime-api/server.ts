/**
 * The Runtime API server. Every worker gets its own listener (its own port) on one shared route
 * table, and AWS_LAMBDA_RUNTIME_API is plain "host:port".
 *
 * Why a port per worker and not a path prefix (host:port/w/<id>): AWS's Node client
 * (aws-lambda-ric 3.3.0, RAPIDClient) splits AWS_LAMBDA_RUNTIME_API on ":" and builds the paths of
 * /init/error and streamed responses itself ("/2018-06-01/..."), dropping any prefix, and the
 * Python client hands the value to http.client.HTTPConnection, which cannot parse a path. Real
 * Lambda gives each environment its own API too, so the port is the identity of the worker and no
 * runtime can answer for another worker's invocation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer } from '../../http/close.js';
import { listen, listenOn } from '../../http/listen.js';
import { createHttpServer } from '../../http/server.js';
import { removeStalePartials } from '../../stale-partials.js';
import { sendJson } from '../../http/json.js';
import { nodeHttpExchange, type ApiReply, type ApiRequest } from './exchange.js';
import { createLocalSocketServer } from './local-connection.js';
import { runtimeApiError } from './protocol.js';
import { nextInvocation } from './handlers/next.js';
import { matchRoute } from './routes.js';
import { WorkerEndpoint } from './worker-endpoint.js';

export interface AttachOptions {
  /** Address to listen on; defaults to the server's host (127.0.0.1). */
  bindHost?: string;
  /** Host name the runtime uses to reach the listener, when it differs from bindHost (containers). */
  advertisedHost?: string;
  /**
   * Also serve the worker on a Unix socket (see localSocketVar): 'owner' for host processes;
   * 'anyone' for a socket mounted into a container, whose runtime runs as another user (the
   * folder holding it stays private to us on the host).
   */
  localSocket?: 'owner' | 'anyone' | undefined;
}

/**
 * lbuild's own bootstraps connect to this Unix socket instead of AWS_LAMBDA_RUNTIME_API's TCP port
 * when the variable is set (and remove it from their environment, so function code never sees it;
 * they fall back to the TCP port when the socket cannot be connected to).
 * Same HTTP, same route table, same endpoint: only the transport differs. On a loopback TCP
 * connection every write runs the whole TCP stack for both ends; measured here, a Unix socket round
 * trip costs a third of the CPU (38 vs 110 µs per side), and the Runtime API makes two of them per
 * invocation. AWS's clients, curl and anything else keep using the TCP port.
 */
export const localSocketVar = 'LBUILD_RUNTIME_API_SOCKET';

/** The Runtime API's socket folders in the temp folder: `lbuild-rapi-<pid>-<random>`. */
const socketDirPrefix = 'lbuild-rapi-';

export interface AttachedWorker {
  endpoint: WorkerEndpoint;
  /** The value for AWS_LAMBDA_RUNTIME_API. */
  runtimeApi: string;
  port: number;
  /** The Unix socket serving the same endpoint, when asked for (AttachOptions.localSocket). */
  socketPath?: string;
  detach(): Promise<void>;
}

interface Listener {
  endpoint: WorkerEndpoint;
  /** Each transport's close (stop listening, drop connections). */
  closers: Array<() => Promise<void>>;
}

export class RuntimeApiServer {
  private readonly listeners = new Map<string, Listener>();
  /** Holds the Unix sockets; made on first use, removed by close(). */
  private socketDir: string | undefined;
  private sockets = 0;

  constructor(private readonly defaultHost = '127.0.0.1') {}

  /** Open a listener for one worker. The worker's runtime talks only to this endpoint. */
  async attach(workerId: string, options: AttachOptions = {}): Promise<AttachedWorker> {
    if (this.listeners.has(workerId)) throw new Error(`worker ${workerId} is already attached`);
    const endpoint = new WorkerEndpoint(workerId);
    const entry: Listener = { endpoint, closers: [] };
    this.listeners.set(workerId, entry);
    try {
      const bindHost = options.bindHost ?? this.defaultHost;
      const port = await listenTcp(endpoint, entry, bindHost);
      const host = options.advertisedHost ?? bindHost;
      const attached: AttachedWorker = {
        endpoint,
        port,
        runtimeApi: `${host}:${port}`,
        detach: () => this.detach(workerId),
      };
      if (options.localSocket && process.platform !== 'win32') {
        // Short names: a socket path must fit in 107 bytes, whatever the function is called.
        attached.socketPath = join(this.ensureSocketDir(), `w${++this.sockets}.sock`);
        await listenLocal(endpoint, entry, {
          path: attached.socketPath,
          ...(options.localSocket === 'anyone' ? { readableAll: true, writableAll: true } : {}),
        });
      }
      return attached;
    } catch (error) {
      await this.detach(workerId);
      throw error;
    }
  }

  async detach(workerId: string): Promise<void> {
    const entry = this.listeners.get(workerId);
    if (!entry) return;
    this.listeners.delete(workerId);
    entry.endpoint.close();
    // Closing a server that listens on a path also removes the socket file.
    await Promise.all(entry.closers.map((close) => close()));
  }

  get attachedCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners.keys()].map((id) => this.detach(id)));
    if (this.socketDir) rmSync(this.socketDir, { recursive: true, force: true });
    this.socketDir = undefined;
  }

  private ensureSocketDir(): string {
    // mkdtemp makes it 0700: other users of the machine cannot reach the sockets inside. The pid in
    // the name lets a later run remove the folder of a process that was killed (stale-partials.ts).
    if (!this.socketDir) {
      void removeStalePartials(tmpdir(), socketDirPrefix);
      this.socketDir = mkdtempSync(join(tmpdir(), `${socketDirPrefix}${process.pid}-`));
    }
    return this.socketDir;
  }
}

/** The endpoint's TCP port (AWS_LAMBDA_RUNTIME_API), on node:http: any client may use it. */
async function listenTcp(endpoint: WorkerEndpoint, entry: Listener, host: string): Promise<number> {
  // No request deadline: a streamed response is one request body that may run for 15 minutes.
  // Idle connections stay a minute: a long poll may wait for minutes between invocations.
  const server = createHttpServer(
    (request, response) =>
      inOrder(request.socket, response, (pipelined) => {
        const { request: req, reply } = nodeHttpExchange(request, response);
        return handle(endpoint, req, reply, pipelined);
      }),
    { requestMs: 0, keepAliveMs: 60_000 },
  );
  entry.closers.push(() => closeServer(server));
  return listen(server, host, 0, { what: 'Runtime API' });
}

/** The endpoint's Unix socket, for lbuild's bootstraps (see local-connection.ts). */
async function listenLocal(
  endpoint: WorkerEndpoint,
  entry: Listener,
  address: { path: string; readableAll?: boolean; writableAll?: boolean },
): Promise<void> {
  const local = createLocalSocketServer((request, reply) =>
    handle(endpoint, request, reply, () => false),
  );
  entry.closers.push(local.close);
  await listenOn(local.server, address);
}

/**
 * HTTP/1.1 pipelining: lbuild's bootstraps write POST .../response and their next GET /next in one
 * send, saving a round trip per invocation. node:http emits both requests at once, but the /next
 * may only be judged once the /response has completed the invocation, so requests on one
 * connection are handled one after the other. A connection with nothing in flight (every other
 * client) runs its request at once, exactly as before.
 */
interface Lane {
  tail: Promise<void>;
  /** Requests received on the connection and not yet started. */
  waiting: number;
}
const lanes = new WeakMap<Socket, Lane>();

function inOrder(
  socket: Socket,
  response: ServerResponse,
  run: (pipelined: () => boolean) => Promise<void>,
): void {
  let lane = lanes.get(socket);
  const pipelined = () => (lanes.get(socket)?.waiting ?? 0) > 0;
  // handle() answers its own errors; should it still throw, the exchange is broken: drop it.
  const guarded = () => run(pipelined).catch(() => void response.destroy());
  let current: Promise<void>;
  if (lane) {
    const queued = lane;
    queued.waiting += 1;
    current = queued.tail.then(() => {
      queued.waiting -= 1;
      return guarded();
    });
    queued.tail = current;
  } else {
    lane = { tail: Promise.resolve(), waiting: 0 };
    lanes.set(socket, lane);
    current = guarded();
    lane.tail = current;
  }
  const mine = lane;
  void current.then(() => {
    if (mine.tail === current && lanes.get(socket) === mine) lanes.delete(socket);
  });
}

async function handle(
  endpoint: WorkerEndpoint,
  request: ApiRequest,
  reply: ApiReply,
  pipelined: () => boolean,
): Promise<void> {
  const { path } = request;
  const match = matchRoute(request.method, path);
  // Only a /next that parks may wait behind a held-back 202 (see WorkerEndpoint.holdAcknowledgement).
  if (match.kind !== 'found' || match.route.handler !== nextInvocation)
    endpoint.releaseAcknowledgement();
  try {
    if (match.kind === 'not-found') {
      request.discard();
      sendJson(
        reply,
        404,
        runtimeApiError('NotFound', `no Runtime API route for ${request.method} ${path}`),
      );
      return;
    }
    if (match.kind === 'wrong-method') {
      request.discard();
      sendJson(
        reply,
        405,
        runtimeApiError('MethodNotAllowed', `${request.method} is not allowed on ${path}`),
        { Allow: match.allowed.join(', ') },
      );
      return;
    }
    await match.route.handler({ request, reply, endpoint, params: match.params, pipelined });
  } catch (error) {
    if (!reply.finished) {
      sendJson(
        reply,
        500,
        runtimeApiError('InternalError', `lbuild Runtime API failed: ${(error as Error).message}`),
      );
    } else {
      reply.destroy();
    }
  }
}
