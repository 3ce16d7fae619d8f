// The HTTP side of lbuild's Node bootstrap: the Runtime API calls over one kept-alive socket.
//
// A minimal HTTP/1.1 client on node:net instead of node:http, because it sits on the hot path of
// every invocation: it writes the result and the next GET /next in one send (pipelining: one
// round trip and one wake-up of the Runtime API less per invocation) and skips node:http's
// agent and per-request objects. It speaks only what the Runtime API needs: requests with a
// Content-Length, responses with Content-Length or chunked bodies (or ended by the close).
import net from 'node:net';

const errorTypeHeader = 'Lambda-Runtime-Function-Error-Type';
const outputBytesHeader = 'X-Lbuild-Output-Bytes';
const maxRssHeader = 'X-Lbuild-Max-Rss-Kb';
const crlf2 = Buffer.from('\r\n\r\n');

/** Header values must not break the request line structure (Node's http would throw on them). */
function headerSafe(value) {
  return String(value).replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
}

/** Parses the responses of one connection, in order, as bytes arrive. */
class ResponseReader {
  constructor() {
    this.head = undefined; // { status, headers, length | undefined, chunked }
    this.pending = Buffer.alloc(0);
    this.chunks = [];
    this.received = 0;
  }

  /** Feed bytes; returns the responses they completed. */
  push(data) {
    const done = [];
    let buffer = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    this.pending = Buffer.alloc(0);
    for (;;) {
      if (!this.head) {
        const end = buffer.indexOf(crlf2);
        if (end < 0) {
          this.pending = buffer;
          return done;
        }
        this.head = parseHead(buffer.toString('latin1', 0, end));
        buffer = buffer.subarray(end + 4);
        this.chunks = [];
        this.received = 0;
        if (this.head.length === 0) {
          done.push(this.finish(Buffer.alloc(0)));
          continue;
        }
      }
      if (this.head.chunked) {
        const decoded = decodeChunked(buffer);
        if (!decoded) {
          this.pending = buffer;
          return done;
        }
        buffer = buffer.subarray(decoded.used);
        done.push(this.finish(decoded.body));
        continue;
      }
      if (this.head.length === undefined) {
        // Body delimited by the end of the connection: keep everything until close().
        this.chunks.push(buffer);
        return done;
      }
      const need = this.head.length - this.received;
      if (buffer.length < need) {
        if (buffer.length > 0) this.chunks.push(buffer);
        this.received += buffer.length;
        return done;
      }
      this.chunks.push(buffer.subarray(0, need));
      buffer = buffer.subarray(need);
      done.push(
        this.finish(this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks)),
      );
      if (buffer.length === 0) return done;
    }
  }

  /** The connection ended: a response delimited by the close is complete now. */
  close() {
    if (this.head && this.head.length === undefined && !this.head.chunked)
      return this.finish(Buffer.concat(this.chunks));
    return undefined;
  }

  finish(body) {
    const { status, headers } = this.head;
    this.head = undefined;
    this.chunks = [];
    this.received = 0;
    return { status, headers, body };
  }
}

function parseHead(text) {
  const lines = text.split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0) continue;
    const name = lines[i].slice(0, colon).trim().toLowerCase();
    const value = lines[i].slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const chunked = /\bchunked\b/i.test(headers['transfer-encoding'] ?? '');
  // 204 and 304 have no body; neither does a response with Content-Length 0.
  const length = chunked
    ? undefined
    : status === 204 || status === 304
      ? 0
      : headers['content-length'] !== undefined
        ? Number(headers['content-length'])
        : undefined;
  return { status, headers, length, chunked };
}

/** A whole chunked body from the start of `buffer`, or undefined while more bytes are needed. */
function decodeChunked(buffer) {
  const parts = [];
  let at = 0;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.toString('latin1', at, lineEnd).split(';')[0], 16);
    at = lineEnd + 2;
    if (size === 0) {
      // Trailers (usually none) end with an empty line.
      const end = buffer.indexOf(crlf2, at - 2);
      if (end < 0) return undefined;
      return { body: Buffer.concat(parts), used: end + 4 };
    }
    if (buffer.length < at + size + 2) return undefined;
    parts.push(buffer.subarray(at, at + size));
    at += size + 2;
  }
}

export class RuntimeClient {
  /**
   * address: AWS_LAMBDA_RUNTIME_API ("host:port"). socketPath: a Unix socket serving the same API
   * (lbuild's host-process workers; cheaper per call than loopback TCP), used when given.
   * outputBytes: returns "<stdout bytes> <stderr bytes>" written so far (sent with every result).
   */
  constructor(address, outputBytes = undefined, socketPath = undefined) {
    this.outputBytes = outputBytes;
    const colon = address.lastIndexOf(':');
    this.hostname = address.slice(0, colon);
    this.port = Number(address.slice(colon + 1));
    this.host = `${this.hostname}:${this.port}`;
    this.socketPath = socketPath || undefined;
    this.socket = undefined;
    this.waiting = []; // the current connection's queue (see connect)
  }

  /**
   * Connect before the first call. A Unix socket that cannot be reached (a container where the
   * mount is refused, SELinux) is dropped for AWS_LAMBDA_RUNTIME_API's TCP port, with a warning.
   */
  async open() {
    if (!this.socketPath) return;
    const socket = this.connect();
    try {
      await new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
    } catch (error) {
      process.stderr.write(
        `lbuild bootstrap: cannot use the Runtime API socket ${this.socketPath} (${error.code ?? error.message}); using ${this.host}\n`,
      );
      this.socketPath = undefined;
      this.socket = undefined;
    }
  }

  connect() {
    const socket = this.socketPath
      ? net.connect({ path: this.socketPath })
      : net.connect({ host: this.hostname, port: this.port, noDelay: true });
    const reader = new ResponseReader();
    // Each connection answers its own requests: a dead connection's late 'close' must not fail
    // requests already sent on its replacement.
    const waiting = []; // { resolve, reject } per response expected, in order
    const fail = (error) => {
      if (this.socket === socket) this.socket = undefined;
      for (const waiter of waiting.splice(0)) waiter.reject(error);
    };
    socket.on('data', (data) => {
      let responses;
      try {
        responses = reader.push(data);
      } catch (error) {
        socket.destroy();
        fail(error);
        return;
      }
      for (const response of responses) waiting.shift()?.resolve(response);
    });
    socket.on('end', () => {
      const last = reader.close();
      if (last) waiting.shift()?.resolve(last);
      socket.destroy();
    });
    socket.on('error', (error) => fail(error));
    socket.on('close', () =>
      fail(
        Object.assign(new Error('the Runtime API closed the connection'), { code: 'ECONNRESET' }),
      ),
    );
    this.socket = socket;
    this.waiting = waiting;
    return socket;
  }

  /** Send requests (as one write) and resolve with their responses, in order. */
  exchange(requests) {
    const socket = this.socket && !this.socket.destroyed ? this.socket : this.connect();
    const waiting = this.waiting;
    const responses = requests.map(
      () => new Promise((resolve, reject) => waiting.push({ resolve, reject })),
    );
    socket.cork();
    for (const { method, path, body, headers } of requests) {
      let head = `${method} /2018-06-01${path} HTTP/1.1\r\nHost: ${this.host}\r\n`;
      for (const [name, value] of Object.entries(headers ?? {}))
        head += `${name}: ${headerSafe(value)}\r\n`;
      if (body) head += `Content-Length: ${body.length}\r\n`;
      socket.write(`${head}\r\n`, 'latin1');
      if (body && body.length > 0) socket.write(body);
    }
    socket.uncork();
    return responses;
  }

  request(method, path, body, headers = {}) {
    return this.exchange([{ method, path, body, headers }])[0];
  }

  async next() {
    return this.invocationFrom(await this.request('GET', '/runtime/invocation/next'));
  }

  async invocationFrom(response) {
    for (;;) {
      if (response.status === 200) {
        const h = response.headers;
        return {
          requestId: h['lambda-runtime-aws-request-id'],
          deadlineMs: Number(h['lambda-runtime-deadline-ms'] ?? 0),
          functionArn: h['lambda-runtime-invoked-function-arn'],
          traceId: h['lambda-runtime-trace-id'],
          clientContext: h['lambda-runtime-client-context'],
          cognitoIdentity: h['lambda-runtime-cognito-identity'],
          body: response.body,
        };
      }
      process.stderr.write(
        `lbuild bootstrap: /next answered ${response.status}: ${response.body.toString().slice(0, 200)}\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await this.request('GET', '/runtime/invocation/next');
    }
  }

  /** lbuild's facts about the runtime, sent with every result: output written so far, peak memory. */
  resultHeaders(extra) {
    const headers = { ...extra, [maxRssHeader]: process.resourceUsage().maxRSS };
    if (this.outputBytes) headers[outputBytesHeader] = this.outputBytes();
    return headers;
  }

  async postResponse(requestId, payload) {
    this.checkResponse(
      await this.request(
        'POST',
        this.responsePath(requestId),
        Buffer.from(payload, 'utf8'),
        this.resultHeaders({ 'Content-Type': 'application/json' }),
      ),
    );
  }

  /** The result and the next long poll in one send; resolves with the next invocation. */
  async postResponseAndNext(requestId, payload) {
    const [posted, next] = this.exchange([
      {
        method: 'POST',
        path: this.responsePath(requestId),
        body: Buffer.from(payload, 'utf8'),
        headers: this.resultHeaders({ 'Content-Type': 'application/json' }),
      },
      { method: 'GET', path: '/runtime/invocation/next' },
    ]);
    next.catch(() => {}); // awaited below; a broken connection rejects both
    this.checkResponse(await posted);
    return this.invocationFrom(await next);
  }

  responsePath(requestId) {
    return `/runtime/invocation/${encodeURIComponent(requestId)}/response`;
  }

  checkResponse(response) {
    // 413 (payload too large) ends the invocation on Lambda's side; report it and go on.
    if (response.status !== 202)
      process.stderr.write(
        `lbuild bootstrap: response rejected (${response.status}): ${response.body.toString().slice(0, 300)}\n`,
      );
  }

  postError(requestId, body) {
    return this.postErrorTo(`/runtime/invocation/${encodeURIComponent(requestId)}/error`, body);
  }

  postInitError(body) {
    return this.postErrorTo('/runtime/init/error', body);
  }

  async postErrorTo(path, body) {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    const response = await this.request(
      'POST',
      path,
      payload,
      this.resultHeaders({ 'Content-Type': 'application/json', [errorTypeHeader]: body.errorType }),
    );
    if (response.status !== 202)
      process.stderr.write(
        `lbuild bootstrap: error report rejected (${response.status}): ${response.body.toString().slice(0, 300)}\n`,
      );
  }
}
