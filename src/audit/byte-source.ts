/**
 * Random access to one file's bytes, so readers can fetch the few ranges they need (ELF headers,
 * the dynamic section, the string table) instead of loading whole files: a folder audit reads only
 * headers from disk, a zip or in-memory audit reads from a Buffer.
 */
import type { FileHandle } from 'node:fs/promises';

export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset`; shorter (possibly empty) past the end. */
  read(offset: number, length: number): Promise<Buffer>;
}

export function bufferSource(data: Buffer): ByteSource {
  return {
    size: data.length,
    read: async (offset, length) =>
      data.subarray(clamp(offset, data.length), clamp(offset + length, data.length)),
  };
}

/** Reads from an open file; the caller owns (and closes) the handle. */
export function fileSource(handle: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const start = clamp(offset, size);
      const want = clamp(start + length, size) - start;
      if (want === 0) return Buffer.alloc(0);
      const buffer = Buffer.allocUnsafe(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await handle.read(buffer, got, want - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buffer.subarray(0, got);
    },
  };
}

function clamp(value: number, size: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(value, size);
}
