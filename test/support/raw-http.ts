/**
 * HTTP below any client library: send exact bytes on a fresh TCP connection and read what comes
 * back, so a test can send what no well-behaved client would (broken request lines, bare CRs,
 * conflicting lengths) and check that the server's answer is still HTTP.
 */
import { connect } from 'node:net';

export interface RawExchange {
  /** Every byte the server sent before it closed the connection (or the wait ended). */
  bytes: Buffer;
  /** The status codes of every response line found at the start of a response. */
  statuses: number[];
  /** The server closed the connection (as opposed to the wait running out). */
  closed: boolean;
  /** The connection was reset or refused rather than closed. */
  error?: string;
}

export interface RawOptions {
  host?: string;
  /** Give up waiting for the server after this long (the connection is then destroyed). */
  waitMs?: number;
  /** Half-close after writing: the server sees the end of the request stream. */
  endAfterWrite?: boolean;
  /** Stop reading once this many responses have fully arrived (Content-Length framed). */
  responses?: number;
}

/** The status line of an HTTP/1.x response. */
const statusLine = /^HTTP\/1\.[01] (\d{3}) [^\r\n]*\r\n/;

/**
 * The responses in a byte stream, one after the other: status line, headers, then the body by its
 * Content-Length (chunked bodies are walked chunk by chunk). Stops at anything that is not a
 * response, which the caller sees as missing statuses.
 */
export function parseResponses(bytes: Buffer): { statuses: number[]; rest: number } {
  const statuses: number[] = [];
  let offset = 0;
  for (;;) {
    const head = bytes.subarray(offset).toString('latin1');
    const match = statusLine.exec(head);
    const end = head.indexOf('\r\n\r\n');
    if (!match || end < 0) break;
    statuses.push(Number(match[1]));
    const headers = head.slice(0, end).toLowerCase();
    let cursor = offset + end + 4;
    const length = /\r\ncontent-length: *(\d+)/.exec(headers);
    if (length) cursor += Number(length[1]);
    else if (/\r\ntransfer-encoding: *chunked/.test(headers)) {
      for (;;) {
        const line = bytes.indexOf('\r\n', cursor);
        if (line < 0) return { statuses, rest: bytes.length - offset };
        const size = parseInt(bytes.subarray(cursor, line).toString('latin1'), 16);
        cursor = line + 2 + size + 2;
        if (size === 0 || Number.isNaN(size)) break;
      }
    } else if (!/^http\/1\.[01] (1\d\d|204|304)/.test(headers)) {
      // No length: the body runs to the end of the connection.
      cursor = bytes.length;
    }
    offset = Math.min(cursor, bytes.length);
    if (offset >= bytes.length) break;
  }
  return { statuses, rest: bytes.length - offset };
}

/** Where to connect: a TCP port on loopback, or a Unix socket's path. */
export type RawTarget = number | { socketPath: string };

export function rawRequest(
  target: RawTarget,
  data: Buffer | string | Array<Buffer | string>,
  options: RawOptions = {},
): Promise<RawExchange> {
  const { host = '127.0.0.1', waitMs = 5000, endAfterWrite = false } = options;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket =
      typeof target === 'number' ? connect({ host, port: target }) : connect(target.socketPath);
    const finish = (closed: boolean, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const bytes = Buffer.concat(chunks);
      resolve({
        bytes,
        statuses: parseResponses(bytes).statuses,
        closed,
        ...(error ? { error } : {}),
      });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('connect', () => {
      for (const piece of Array.isArray(data) ? data : [data]) socket.write(piece);
      if (endAfterWrite) socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (
        options.responses !== undefined &&
        parseResponses(Buffer.concat(chunks)).statuses.length >= options.responses
      )
        finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (error: NodeJS.ErrnoException) => finish(true, error.code ?? error.message));
  });
}
