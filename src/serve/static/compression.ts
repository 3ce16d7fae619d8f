/**
 * On-the-fly compression, CloudFront-style: br preferred over gzip when the client takes both, only
 * for compressible types between 1,000 and 10,000,000 bytes (CloudFront's bounds), never for Range
 * requests (the range is then served from the identity bytes).
 *
 * The compressed bodies are cached by body-cache.ts (as CloudFront caches its compressed copy), so a
 * file is compressed once per version, not once per request. zlib runs on libuv's thread pool: a
 * compression never blocks the event loop.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type ContentEncoding = 'br' | 'gzip';

export const compressMinBytes = 1_000;
export const compressMaxBytes = 10_000_000;

/**
 * br at quality 5 and gzip at level 6: close to the best ratio per CPU second. Brotli's default (11)
 * takes ~100x longer and would make the first request after each rebuild visibly slow.
 */
const brotliQuality = 5;
const gzipLevel = 6;

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/**
 * The coding to use for an Accept-Encoding header, or undefined for identity. Highest q wins; on a tie
 * br beats gzip. "q=0" refuses a coding; "*" stands for any coding not named.
 */
export function negotiateEncoding(
  acceptEncoding: string | string[] | undefined,
): ContentEncoding | undefined {
  if (!acceptEncoding) return undefined;
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  const quality = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName!.trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (match) q = Number(match[1]);
    }
    if (Number.isNaN(q)) continue;
    quality.set(name === 'x-gzip' ? 'gzip' : name, q);
  }
  const wildcard = quality.get('*') ?? 0;
  const br = quality.get('br') ?? wildcard;
  const gz = quality.get('gzip') ?? wildcard;
  if (br <= 0 && gz <= 0) return undefined;
  return br >= gz ? 'br' : 'gzip';
}

export function shouldCompress(size: number): boolean {
  return size >= compressMinBytes && size <= compressMaxBytes;
}

export function compressBuffer(data: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  if (encoding === 'gzip') return gzip(data, { level: gzipLevel });
  return brotli(data, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: brotliQuality,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
}
