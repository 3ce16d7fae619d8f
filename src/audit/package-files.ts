/**
 * The files of a package as the audit sees them: a name, a size and random access to the bytes.
 * Zips, folders and in-memory entries all become this, so the audit itself has one code path.
 */
import { bufferSource, type ByteSource } from './byte-source.js';

export interface PackageFile {
  /** Path inside the package, '/'-separated, no leading slash. */
  name: string;
  size: number;
  bytes: ByteSource;
  /** The content's sha256, when the caller knows it: the key of cached facts (facts-cache.ts). */
  sha256?: string;
  /** Releases what reading opened (a file handle); safe to call when nothing was read. */
  close?(): Promise<void>;
}

export interface EntryInput {
  name: string;
  data: Buffer;
}

export async function* entryFiles(
  entries: AsyncIterable<EntryInput> | Iterable<EntryInput>,
): AsyncIterable<PackageFile> {
  for await (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    yield {
      name: normalizeName(entry.name),
      size: entry.data.length,
      bytes: bufferSource(entry.data),
    };
  }
}

export function normalizeName(name: string): string {
  return name.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');
}
