/**
 * Compressed zip entries kept between builds, so a code-only change deflates only the files that
 * changed. Content-addressed: an entry is filed under the sha256 of its content, in a folder named
 * after what else decides the compressed bytes (the deflate level and Node's zlib version, see
 * writer.ts). A hit is therefore exactly what compressEntry would make again, and a zip written
 * from hits is byte-identical to one written from scratch.
 *
 * Each blob is a 32-byte header plus the bytes that follow the entry's local header. A blob is
 * trusted only if its header is ours, its length matches and the CRC-32 of its bytes matches the
 * one stored when it was written; anything else (truncated, bit-flipped, foreign) is a miss, and
 * the entry is compressed again and the blob rewritten. Blobs are written to a temp file and
 * renamed, so concurrent builds (which write identical bytes for a key) never see half a blob.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CompressedEntry } from './compress.js';
import { crc32 } from './crc32.js';
import { METHOD_DEFLATED, METHOD_STORED } from './format.js';

const MAGIC = 0x315a424c; // "LBZ1", little-endian
const HEADER_BYTES = 32;

export interface ZipEntryCacheOptions {
  /** false: never take an entry from the cache (lbuild package --no-cache), only refresh it. */
  reuse?: boolean;
}

export class ZipEntryCache {
  readonly reuse: boolean;
  /** Blobs that were present but failed verification (and were replaced). */
  rejected = 0;

  constructor(
    readonly dir: string,
    options: ZipEntryCacheOptions = {},
  ) {
    this.reuse = options.reuse ?? true;
  }

  /** The blob of `sha256` at `level`, relative to `dir` (what the usage lists record). */
  static blobName(sha256: string, level: number): string {
    return `${settingsFolder(level)}/${sha256.slice(0, 2)}/${sha256}`;
  }

  pathOf(sha256: string, level: number): string {
    return join(this.dir, ZipEntryCache.blobName(sha256, level));
  }

  get(sha256: string, level: number): CompressedEntry | undefined {
    if (!this.reuse) return undefined;
    let blob: Buffer;
    try {
      // Synchronous on purpose: a code-only build reads thousands of small blobs, and each
      // fs/promises readFile costs four thread-pool round trips (open, fstat, read, close), which
      // profiled at ~5x the time of the reads themselves. Nothing else waits on the main thread.
      blob = readFileSync(this.pathOf(sha256, level));
    } catch {
      return undefined; // not cached, or pruned by a concurrent build: compress it
    }
    const entry = decode(blob);
    if (!entry) this.rejected++;
    return entry;
  }

  /** Best effort: a cache that cannot be written only makes the next build slower. */
  async put(sha256: string, level: number, entry: CompressedEntry): Promise<void> {
    const path = this.pathOf(sha256, level);
    const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temp, [encodeHeader(entry), entry.data]);
      await rename(temp, path);
    } catch {
      await rm(temp, { force: true }).catch(() => {});
    }
  }
}

/** What decides the compressed bytes besides the content. */
function settingsFolder(level: number): string {
  return `deflate${level}-zlib${process.versions.zlib ?? 'unknown'}`;
}

function encodeHeader(entry: CompressedEntry): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt16LE(entry.method, 4);
  header.writeUInt32LE(entry.crc, 8);
  header.writeUInt32LE(entry.size, 12);
  header.writeUInt32LE(entry.data.length, 16);
  header.writeUInt32LE(crc32(entry.data), 20);
  return header;
}

/** The entry in a blob, or undefined when the blob is not exactly what put() wrote. */
function decode(blob: Buffer): CompressedEntry | undefined {
  if (blob.length < HEADER_BYTES || blob.readUInt32LE(0) !== MAGIC) return undefined;
  const method = blob.readUInt16LE(4);
  const crc = blob.readUInt32LE(8);
  const size = blob.readUInt32LE(12);
  const compressedSize = blob.readUInt32LE(16);
  if (method !== METHOD_STORED && method !== METHOD_DEFLATED) return undefined;
  if (blob.length !== HEADER_BYTES + compressedSize) return undefined;
  if (method === METHOD_STORED && compressedSize !== size) return undefined;
  const data = blob.subarray(HEADER_BYTES);
  if (crc32(data) !== blob.readUInt32LE(20)) return undefined;
  return { method, crc, size, data };
}
