/**
 * One entry's bytes → what goes in the archive. `zlib.deflateRaw` (async) runs on libuv's thread
 * pool, so a few calls in flight keep every core busy while the main thread only does bookkeeping.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { crc32 } from './crc32.js';
import { METHOD_DEFLATED, METHOD_STORED } from './format.js';

const deflateRaw = promisify(zlib.deflateRaw);

export interface CompressedEntry {
  method: typeof METHOD_STORED | typeof METHOD_DEFLATED;
  crc: number;
  size: number;
  /** The bytes to write after the local header: deflated, or the input itself when stored. */
  data: Buffer;
}

export async function compressEntry(input: Buffer, level: number): Promise<CompressedEntry> {
  const crc = crc32(input);
  if (level === 0 || input.length === 0)
    return { method: METHOD_STORED, crc, size: input.length, data: input };
  const deflated = await deflateRaw(input, { level });
  // Already-compressed files (.png, .whl inside a package, .so sections) can grow; store those,
  // like Info-ZIP does. The choice depends only on the bytes, so it is as reproducible as deflate.
  if (deflated.length >= input.length)
    return { method: METHOD_STORED, crc, size: input.length, data: input };
  return { method: METHOD_DEFLATED, crc, size: input.length, data: deflated };
}
