/**
 * One Runtime API request and its reply, whatever carries them: node:http on the TCP port (AWS's
 * clients, curl, anything) or lbuild's own HTTP/1.1 connection on the Unix socket (lbuild's
 * bootstraps, see local-connection.ts). The handlers see only these two shapes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerValue } from '../../http/header.js';
import { readBody, type BodyResult } from '../../http/read-body.js';

export interface ApiRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** A header's value (names are case-insensitive; repeated headers are comma-joined). */
  header(name: string): string | undefined;
  /** The body, keeping at most `limit` bytes (an oversized one is counted, not kept). */
  body(limit: number): Promise<BodyResult>;
  /** The body will not be read: let it go. */
  discard(): void;
  /**
   * The body as it arrives, with its trailers once it has ended (a streamed response). Undefined
   * where the transport only takes whole bodies (lbuild's Unix socket, see local-connection.ts).
   */
  stream?(): StreamedBody;
}

export interface StreamedBody {
  chunks: AsyncIterable<Buffer>;
  /** A trailer's value, once `chunks` is done (names are case-insensitive). */
  trailer(name: string): string | undefined;
}

export interface ApiReply {
  /** Write the whole response. Only the first call counts. */
  send(status: number, headers: Record<string, string | number>, body?: Buffer | string): void;
  /** Sent, or its connection is gone: nothing more can be written. */
  readonly finished: boolean;
  /** The connection went away before (or after) the response was sent. */
  onClose(listener: () => void): void;
  /** Drop the connection (a broken exchange). */
  destroy(): void;
}

/** node:http's request and response as a ApiRequest and ApiReply. */
export function nodeHttpExchange(
  request: IncomingMessage,
  response: ServerResponse,
): { request: ApiRequest; reply: ApiReply } {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  return {
    request: {
      method: request.method ?? 'GET',
      path,
      header: (name) => headerValue(request, name),
      body: (limit) => readBody(request, limit),
      discard: () => void request.resume(),
      stream: () => ({
        chunks: request,
        trailer: (name) => request.trailers[name.toLowerCase()],
      }),
    },
    reply: {
      send(status, headers, body) {
        if (response.headersSent || response.destroyed) return;
        response.writeHead(status, headers);
        response.end(body);
      },
      get finished() {
        return response.writableEnded || response.destroyed;
      },
      onClose: (listener) => void response.on('close', listener),
      destroy: () => void response.destroy(),
    },
  };
}
