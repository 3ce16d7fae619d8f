import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; bytes: number };

export interface ReadBodyOptions {
  /**
   * Past this many bytes stop reading and drop the connection: a runaway upload is not worth
   * draining. Unset: always read to the end.
   */
  abandonAfter?: number;
}

/**
 * Read a request body, keeping at most `limit` bytes. An oversized body is still read to its end
 * (and counted) so the connection stays usable for keep-alive clients, the client sees our answer
 * (not a reset) and we can say how big it was.
 */
export function readBody(
  request: IncomingMessage,
  limit: number,
  { abandonAfter }: ReadBodyOptions = {},
): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
      else if (abandonAfter !== undefined && bytes > abandonAfter) request.destroy();
      else if (chunks.length > 0) chunks.length = 0;
    });
    request.on('end', () =>
      resolve(bytes <= limit ? { ok: true, body: Buffer.concat(chunks) } : { ok: false, bytes }),
    );
    request.on('error', reject);
  });
}
