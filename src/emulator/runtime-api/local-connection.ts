/**
 * The Runtime API on a worker's Unix socket, which only lbuild's own bootstraps use: a small
 * HTTP/1.1 server instead of node:http, for one reason. A bootstrap sends its result and its next
 * GET /next in one write (pipelining); the 202 for the result and the next event are then written
 * together, in one system call, when the event comes. node:http writes each response on its own
 * and starts the second only after the first's write has completed, so the runtime was woken for a
 * bare 202 first: that write was a sixth of the emulator's CPU per invocation (profiled).
 *
 * What it speaks is what the bootstraps send: HTTP/1.1 requests framed by Content-Length, pipelined
 * on a kept-alive connection, handled one after the other and answered in order. Anything else
 * (chunked bodies, Expect, HTTP/1.0, a header block over 64 KB, garbage) gets an error and the
 * connection is closed; AWS's clients and curl use the TCP port, served by node:http.
 */
import { STATUS_CODES } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { BodyResult } from '../../http/read-body.js';
import type { ApiReply, ApiRequest } from './exchange.js';

export type LocalHandler = (request: ApiRequest, reply: ApiReply) => Promise<void>;

const maxHeadBytes = 64 * 1024;
/**
 * The largest body a request may announce. Past the 6 MB response limit a body is only counted
 * (the handler then answers 413), but a length like 10^20 would park the connection forever.
 */
const maxAnnouncedBodyBytes = 1024 * 1024 * 1024;
/** Bytes of one body kept in memory; beyond that a body is only counted (handlers cap at 6 MB). */
const maxKeptBodyBytes = 16 * 1024 * 1024;

export interface LocalSocketServer {
  server: Server;
  /** Stop listening and drop every connection (parked long polls included). */
  close(): Promise<void>;
}

export function createLocalSocketServer(handle: LocalHandler): LocalSocketServer {
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    new LocalConnection(socket, handle);
  });
  return {
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of connections) socket.destroy();
      }),
  };
}

interface Head {
  method: string;
  path: string;
  headers: Map<string, string>;
  length: number;
}

/** A reply slot: filled by the handler, written in request order. */
class Slot implements ApiReply {
  bytes: Buffer[] | undefined;
  private closeListeners: Array<() => void> = [];
  private gone = false;

  constructor(
    private readonly filled: () => void,
    private readonly dropConnection: () => void,
  ) {}

  get finished(): boolean {
    return this.bytes !== undefined || this.gone;
  }

  send(status: number, headers: Record<string, string | number>, body?: Buffer | string): void {
    if (this.finished) return;
    const payload =
      body === undefined ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body) : body;
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
    let hasLength = false;
    for (const [name, value] of Object.entries(headers)) {
      // As node:http does: a value that could end the header early is a bug, not something to send.
      if (/[\r\n\0]/.test(String(value)))
        throw new Error(`invalid character in the ${name} header`);
      head += `${name}: ${value}\r\n`;
      if (name.toLowerCase() === 'content-length') hasLength = true;
    }
    if (!hasLength) head += `Content-Length: ${payload.length}\r\n`;
    this.bytes = [Buffer.from(`${head}\r\n`, 'latin1'), payload];
    this.filled();
  }

  onClose(listener: () => void): void {
    if (this.gone) listener();
    else this.closeListeners.push(listener);
  }

  destroy(): void {
    this.dropConnection();
  }

  connectionGone(): void {
    if (this.gone) return;
    this.gone = true;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}

class LocalConnection {
  private pending: Buffer = Buffer.alloc(0);
  private head: Head | undefined;
  private body: { chunks: Buffer[]; kept: number; total: number } = {
    chunks: [],
    kept: 0,
    total: 0,
  };
  /** Replies not yet written, in request order. */
  private readonly slots: Slot[] = [];
  private handling: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private broken = false;

  constructor(
    private readonly socket: Socket,
    private readonly handle: LocalHandler,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => {
      for (const slot of this.slots.splice(0)) slot.connectionGone();
    });
    socket.on('error', () => undefined); // 'close' follows
  }

  private receive(chunk: Buffer): void {
    if (this.broken) return;
    let data: Buffer = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      if (!this.head) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) {
          if (data.length > maxHeadBytes) return this.refuse(431, 'the request head is over 64 KB');
          this.pending = data;
          return;
        }
        const head = parseHead(data.toString('latin1', 0, end));
        if (typeof head === 'string') return this.refuse(Number(head.slice(0, 3)), head.slice(4));
        data = data.subarray(end + 4);
        this.head = head;
        this.body = { chunks: [], kept: 0, total: 0 };
      }
      const take = Math.min(this.head.length - this.body.total, data.length);
      if (take > 0) {
        if (this.body.kept + take <= maxKeptBodyBytes) {
          this.body.chunks.push(data.subarray(0, take));
          this.body.kept += take;
        }
        this.body.total += take;
        data = data.subarray(take);
      }
      if (this.body.total < this.head.length) {
        this.pending = Buffer.alloc(0);
        return;
      }
      this.dispatch(this.head, this.body);
      this.head = undefined;
      if (data.length === 0) {
        this.pending = Buffer.alloc(0);
        return;
      }
    }
  }

  private dispatch(head: Head, body: { chunks: Buffer[]; kept: number; total: number }): void {
    const slot = new Slot(
      () => this.queueFlush(),
      () => this.socket.destroy(),
    );
    this.slots.push(slot);
    const whole =
      body.kept === body.total
        ? body.chunks.length === 1
          ? body.chunks[0]!
          : Buffer.concat(body.chunks)
        : undefined;
    const request: ApiRequest = {
      method: head.method,
      path: head.path,
      header: (name) => head.headers.get(name.toLowerCase()),
      body: async (limit): Promise<BodyResult> =>
        whole !== undefined && body.total <= limit
          ? { ok: true, body: whole }
          : { ok: false, bytes: body.total },
      discard: () => undefined,
    };
    // One request at a time: a pipelined /next is judged only after the result before it.
    this.handling = this.handling.then(() =>
      this.handle(request, slot).catch(() => slot.destroy()),
    );
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // Replies filled in the same turn (a held 202 and the event after it) leave together.
    process.nextTick(() => this.flush());
  }

  /**
   * Write the replies at the head of the queue, in order, in one write, once every request
   * received so far has its reply: a 202 waits for the event of the /next pipelined behind it.
   */
  private flush(): void {
    this.flushQueued = false;
    if (this.slots.some((slot) => !slot.finished)) return;
    const out: Buffer[] = [];
    for (const slot of this.slots.splice(0)) if (slot.bytes) out.push(...slot.bytes);
    if (out.length === 0 || this.socket.destroyed) return;
    this.socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
  }

  /** The framing is broken: answer once and close (earlier replies are dropped with it). */
  private refuse(status: number, message: string): void {
    this.broken = true;
    const text = JSON.stringify({
      errorType: 'BadRequest',
      errorMessage: `${message} (lbuild's Runtime API socket speaks HTTP/1.1 with Content-Length; other clients use AWS_LAMBDA_RUNTIME_API)`,
    });
    this.socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
}

/** The request line and headers, or "<status> <why>" when they are not what this server speaks. */
function parseHead(text: string): Head | string {
  const lines = text.split('\r\n');
  const requestLine = /^([A-Z]+) (\S+) HTTP\/1\.1$/.exec(lines[0] ?? '');
  if (!requestLine)
    return `400 malformed request line: ${JSON.stringify((lines[0] ?? '').slice(0, 100))}`;
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) return `400 malformed header line: ${JSON.stringify(line.slice(0, 100))}`;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const earlier = headers.get(name);
    headers.set(name, earlier === undefined ? value : `${earlier},${value}`);
  }
  if (headers.has('transfer-encoding')) return '501 chunked request bodies are not supported here';
  if (headers.has('expect')) return '501 Expect is not supported here';
  const lengthText = headers.get('content-length') ?? '0';
  if (!/^\d+$/.test(lengthText)) return `400 bad Content-Length ${JSON.stringify(lengthText)}`;
  if (Number(lengthText) > maxAnnouncedBodyBytes)
    return `413 a Content-Length of ${lengthText} is past any response Lambda accepts`;
  const target = requestLine[2]!;
  const query = target.indexOf('?');
  return {
    method: requestLine[1]!,
    path: query < 0 ? target : target.slice(0, query),
    headers,
    length: Number(lengthText),
  };
}
