/**
 * A streamed response read whole, for the front doors that buffer (Invoke, API Gateway HTTP APIs,
 * REST routes not in STREAM mode): Lambda holds them to the 6 MB synchronous limit even when the
 * handler streams. Past the limit the bytes are counted, not kept, so the runtime can finish.
 */
import type { Readable } from 'node:stream';

export type Collected = { ok: true; body: Buffer } | { ok: false; bytes: number };

export function collectStream(body: Readable, limit: number): Promise<Collected> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    const done = () =>
      resolve(bytes <= limit ? { ok: true, body: Buffer.concat(chunks) } : { ok: false, bytes });
    body.once('end', done);
    body.once('close', done);
  });
}
