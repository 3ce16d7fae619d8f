/**
 * The files of a zip that was just written, from the writer's own list (names, sizes, content
 * hashes, and where each entry's data lies): when every file's facts are cached nothing is read,
 * and a file that must be read costs one positioned read of its bytes (inflated if deflated), not
 * a parse of the whole zip.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import { bufferSource, type ByteSource } from './byte-source.js';
import { normalizeName, type PackageFile } from './package-files.js';
import { EntryReadError } from './zip-files.js';
import type { WrittenEntry } from '../package/zip/writer.js';

const inflateRawAsync = promisify(inflateRaw);
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;

/** An entry as the zip writer reports it: where its data lies in the zip, and how it is stored. */
export type ListedEntry = WrittenEntry;

export interface ListedZip {
  files: AsyncIterable<PackageFile>;
  /** Close the zip if a read opened it. */
  close(): Promise<void>;
}

export function listedZipFiles(path: string, entries: ListedEntry[]): ListedZip {
  let handle: Promise<FileHandle> | undefined;
  const source = (entry: ListedEntry): ByteSource => {
    let whole: Promise<Buffer> | undefined;
    return {
      size: entry.size,
      async read(offset, length) {
        whole ??= readEntry((handle ??= open(path, 'r')), entry);
        return bufferSource(await whole).read(offset, length);
      },
    };
  };
  async function* files(): AsyncIterable<PackageFile> {
    for (const entry of entries) {
      yield {
        name: normalizeName(entry.name),
        size: entry.size,
        ...(entry.sha256 ? { sha256: entry.sha256 } : {}),
        bytes: source(entry),
      };
    }
  }
  return {
    files: files(),
    close: async () => {
      if (handle) await (await handle).close();
    },
  };
}

async function readEntry(handle: Promise<FileHandle>, entry: ListedEntry): Promise<Buffer> {
  const raw = Buffer.alloc(entry.compressedSize);
  const { bytesRead } = await (await handle).read(raw, 0, entry.compressedSize, entry.dataOffset);
  if (bytesRead !== entry.compressedSize)
    throw new EntryReadError('the entry runs past the end of the zip');
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATED)
    throw new EntryReadError(`compression method ${entry.method} is not deflate`);
  const data = entry.method === METHOD_STORED ? raw : await inflateRawAsync(raw);
  if (data.length !== entry.size)
    throw new EntryReadError(`inflates to ${data.length} bytes, the zip says ${entry.size}`);
  return data;
}
