/**
 * The reproducible zip writer. Same entries in → same bytes out, whatever the input order, the
 * machine's time zone, umask, owner or core count:
 *
 * - entries sorted by the bytes of their UTF-8 names;
 * - one fixed timestamp (SOURCE_DATE_EPOCH or 1980-01-01, see timestamp.ts);
 * - modes 0644 / 0755, "made by" Unix, no uid/gid, no extra fields, no comments;
 * - each entry compressed on its own, so parallelism changes only the speed, never the bytes;
 * - for the same reason an entry's compressed bytes can come from the entry cache (entry-cache.ts)
 *   instead of deflate: same content and settings, same bytes, so incremental = clean.
 *
 * No directory entries: Lambda (like every unzip) creates parent directories from the file paths,
 * and directory entries would only add bytes plus one more mode/timestamp to keep stable. The cost
 * is that an empty directory does not survive; an app that needs one must create it at runtime
 * (only /tmp is writable on Lambda anyway).
 *
 * Why not a library: fflate and yazl both compute DOS time from local-time getters (bytes depend on
 * TZ), neither can fall back to "stored" after seeing the deflated size without compressing twice,
 * fflate's async zip deflates entries under 160 kB on the main thread (measured slower than
 * Info-ZIP) and its streaming AsyncZipDeflate starts one worker per entry, and yazl has no bound
 * on compressions in flight and measured 1.4x Info-ZIP's throughput on 2 cores (we need 1.5x).
 *
 * Deflate comes from Node's bundled zlib (Chromium's fork), which does not give canonical zlib's
 * bytes: on x86-64 with SSE4.2 and on arm64 with the CRC extension it hashes with CRC32C (so, from
 * its source, both give the same bytes; only x86-64 is tested here), on older CPUs it falls back to
 * zlib's classic hash, and a Node update may bring a new zlib. The result reports `zlibVersion`:
 * compare sha256s between builds only when it matches.
 */
import { availableParallelism } from 'node:os';
import { LimitError, UserError } from '../../errors.js';
import { CompressionQueue } from './compression-queue.js';
import type { ZipEntryCache } from './entry-cache.js';
import { compareEntryNames, normalizeEntryName } from './entry-name.js';
import {
  centralHeader,
  endOfCentralDirectory,
  externalAttributes,
  localHeader,
  MAX_UINT32,
  type EntryRecord,
} from './format.js';
import { AtomicOutputFile } from './output-file.js';
import { produceEntry, type ProducedEntry } from './produce-entry.js';
import { resolveZipMtime, toDosDateTime, type DosDateTime } from './timestamp.js';

export interface ZipEntryInput {
  /** Relative POSIX path inside the zip. `./` prefixes and doubled slashes are normalised away. */
  name: string;
  /** Raw st_mode or just permission bits; only "is any x bit set" is kept. Must be a regular file. */
  mode: number;
  /** The content, or a loader called when the entry's turn to be compressed comes (bounds memory). */
  data: Buffer | (() => Promise<Buffer>);
  /** The content's sha256, when known (a dependency tree's entry list): finds a cache hit unread. */
  sha256?: string;
}

export interface ZipOptions {
  /** Deflate level 0-9; 0 stores everything. Default 6, like Info-ZIP. */
  level?: number;
  /** Timestamp of every entry. Default: SOURCE_DATE_EPOCH, else 1980-01-01 00:00:00 UTC. */
  mtime?: Date;
  /**
   * Entries loaded and compressed at once. Default: twice the cores, so a core never idles while
   * an entry's loader (a file read) runs. Never changes the output.
   */
  concurrency?: number;
  /** Reuse (and keep) compressed entries between builds. Never changes the output. */
  cache?: ZipEntryCache;
}

/** One file in the zip, as written. */
export interface WrittenEntry {
  name: string;
  size: number;
  /** The content's sha256; known whenever a cache was used. */
  sha256: string | undefined;
  /** Where its data starts in the zip (past the local header), how long it is and how stored. */
  dataOffset: number;
  compressedSize: number;
  method: number;
}

export interface ZipResult {
  path: string;
  sha256: string;
  /** Size of the zip file. */
  bytes: number;
  /** Sum of the entries' uncompressed sizes (what Lambda's 250 MB limit counts). */
  unzippedBytes: number;
  files: number;
  /** Node's zlib version: the deflate output, hence the sha256, is stable for a given one. */
  zlibVersion: string;
  /** Every entry in the order written (sorted by name). */
  entries: WrittenEntry[];
  /** Entries whose compressed bytes came from the cache instead of deflate. */
  reusedEntries: number;
}

interface PlannedEntry {
  name: Buffer;
  externalAttributes: number;
  data: ZipEntryInput['data'];
  sha256: string | undefined;
}

/** Info-ZIP's default: the usual balance of size and speed. */
export const defaultZipLevel = 6;

export async function writeReproducibleZip(
  entries: Iterable<ZipEntryInput> | AsyncIterable<ZipEntryInput>,
  outPath: string,
  options: ZipOptions = {},
): Promise<ZipResult> {
  const level = options.level ?? defaultZipLevel;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new UserError(`zip compression level must be an integer from 0 to 9, got ${level}`, {
      hint: 'Use 6 (the default) unless you have measured otherwise.',
    });
  }
  const concurrency = options.concurrency ?? availableParallelism() * 2;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UserError(`zip concurrency must be a positive integer, got ${concurrency}`);
  }
  const dos = toDosDateTime(options.mtime ?? resolveZipMtime());

  // Everything is validated and sorted before the output file exists: a bad name creates nothing.
  const planned = await planEntries(entries);
  const out = await AtomicOutputFile.create(outPath);
  try {
    const { records, unzippedBytes, entries, reusedEntries } = await writeEntries(planned, out, {
      level,
      concurrency,
      dos,
      cache: options.cache,
    });
    const centralOffset = out.offset;
    for (const record of records) await out.append(centralHeader(record, dos));
    const centralSize = out.offset - centralOffset;
    await out.append(
      endOfCentralDirectory({ entries: records.length, size: centralSize, offset: centralOffset }),
    );
    const { sha256, bytes } = await out.commit();
    return {
      path: outPath,
      sha256,
      bytes,
      unzippedBytes,
      files: records.length,
      zlibVersion: process.versions.zlib ?? 'unknown',
      entries,
      reusedEntries,
    };
  } catch (error) {
    await out.abort();
    throw error;
  }
}

async function planEntries(
  entries: Iterable<ZipEntryInput> | AsyncIterable<ZipEntryInput>,
): Promise<PlannedEntry[]> {
  const planned: PlannedEntry[] = [];
  const seen = new Set<string>();
  for await (const entry of entries) {
    if (entry.name.endsWith('/')) {
      throw new UserError(
        `zip entry ${JSON.stringify(entry.name)} is a directory; only files are zipped`,
        {
          hint: 'Parent directories are implied by the file paths; leave directories out of the entry list.',
        },
      );
    }
    const name = normalizeEntryName(entry.name);
    if (seen.has(name)) {
      throw new UserError(`two zip entries are both named ${JSON.stringify(name)}`, {
        hint: 'Two sources produce the same path in the package; remove one of them.',
        details: { name },
      });
    }
    seen.add(name);
    planned.push({
      name: Buffer.from(name, 'utf8'),
      externalAttributes: externalAttributes(entry.mode),
      data: entry.data,
      sha256: entry.sha256,
    });
  }
  return planned.sort((a, b) => compareEntryNames(a.name, b.name));
}

interface WriteSettings {
  level: number;
  concurrency: number;
  dos: DosDateTime;
  cache: ZipEntryCache | undefined;
}

/** Write the local headers and data in sorted order while the queue compresses ahead. */
async function writeEntries(
  planned: PlannedEntry[],
  out: AtomicOutputFile,
  { level, concurrency, dos, cache }: WriteSettings,
): Promise<{
  records: EntryRecord[];
  unzippedBytes: number;
  entries: WrittenEntry[];
  reusedEntries: number;
}> {
  const queue = new CompressionQueue<ProducedEntry>(planned.length, concurrency, (index) =>
    produceEntry(planned[index]!, level, cache),
  );
  const records: EntryRecord[] = [];
  const entries: WrittenEntry[] = [];
  let unzippedBytes = 0;
  let reusedEntries = 0;
  try {
    queue.pump();
    for (const entry of planned) {
      const compressed = await queue.next();
      queue.release(compressed);
      const record = entryRecord(entry, compressed, out.offset);
      await out.append(localHeader(record, dos));
      await out.append(compressed.data);
      records.push(record);
      entries.push({
        name: entry.name.toString(),
        size: compressed.size,
        sha256: compressed.sha256,
        dataOffset: out.offset - compressed.data.length,
        compressedSize: compressed.data.length,
        method: compressed.method,
      });
      unzippedBytes += compressed.size;
      if (compressed.reused) reusedEntries++;
    }
    return { records, unzippedBytes, entries, reusedEntries };
  } catch (error) {
    // Let compressions already in the thread pool finish before the caller deletes the temp file,
    // so nothing of this zip is still running when the error reaches the user.
    await queue.stop();
    throw error;
  }
}

/** `offset`: where the entry's local header goes; past 4 GiB the zip would need ZIP64 entries. */
function entryRecord(entry: PlannedEntry, compressed: ProducedEntry, offset: number): EntryRecord {
  if (offset > MAX_UINT32) {
    throw new LimitError('the zip would be larger than 4 GiB', {
      hint: 'Lambda accepts at most 250 MB unzipped; make the package smaller.',
    });
  }
  return {
    name: entry.name,
    method: compressed.method,
    crc: compressed.crc,
    compressedSize: compressed.data.length,
    size: compressed.size,
    externalAttributes: entry.externalAttributes,
    offset,
  };
}
