import type { ServerResponse } from 'node:http';

/** Writes one whole response at once (the Runtime API's ApiReply, on either transport). */
export interface WholeReplyWriter {
  send(status: number, headers: Record<string, string | number>, body?: Buffer | string): void;
}

/** Answer with a JSON body, on node:http or on anything that writes a whole reply. */
export function sendJson(
  to: ServerResponse | WholeReplyWriter,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  const allHeaders = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  };
  if ('send' in to) {
    to.send(status, allHeaders, text);
  } else {
    to.writeHead(status, allHeaders);
    to.end(text);
  }
}
