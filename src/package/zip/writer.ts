/**
 * The reproducible zip writer. Same entries in → same bytes out, whatever the input order, the
 * machine's time zone, umask, owner or core count:
 *
 * - entries sorted by the bytes of their UTF-8 names;
 * - one fixed timestamp (SOURCE_DATE_EPOCH or 1980-01-01, see timestamp.ts);
 * - modes 0644 / 0755, "made by" Unix, no uid/gid, no extra fields, no comments;
 * - each entry compressed on its own, so parallelism changes only the speed, never the bytes.
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
import { compressEntry, type CompressedEntry } from './compress.js';
import { CompressionQueue } from './compression-queue.js';
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
import { resolveZipMtime, toDosDateTime, type DosDateTime } from './timestamp.js';

export interface ZipEntryInput {
  /** Relative POSIX path inside the zip. `./` prefixes and doubled slashes are normalised away. */
  name: string;
  /** Raw st_mode or just permission bits; only "is any x bit set" is kept. Must be a regular file. */
  mode: number;
  /** The content, or a loader called when the entry's turn to be compressed comes (bounds memory). */
  data: Buffer | (() => Promise<Buffer>);
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
}

interface PlannedEntry {
  name: Buffer;
  externalAttributes: number;
  data: ZipEntryInput['data'];
}

export async function writeReproducibleZip(
  entries: Iterable<ZipEntryInput> | AsyncIterable<ZipEntryInput>,
  outPath: string,
  options: ZipOptions = {},
): Promise<ZipResult> {
  const level = options.level ?? 6;
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
    const { records, unzippedBytes } = await writeEntries(planned, out, level, concurrency, dos);
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
    });
  }
  return planned.sort((a, b) => compareEntryNames(a.name, b.name));
}

async function loadAndCompress(entry: PlannedEntry, level: number): Promise<CompressedEntry> {
  const input = typeof entry.data === 'function' ? await entry.data() : entry.data;
  if (!Buffer.isBuffer(input))
    throw new UserError(`zip entry ${entry.name.toString()} has no Buffer content`);
  if (input.length > MAX_UINT32) {
    throw new LimitError(
      `${entry.name.toString()} is ${input.length} bytes; a zip entry over 4 GiB is not supported`,
      {
        hint: 'Lambda unzips at most 250 MB; leave this file out of the package.',
      },
    );
  }
  return compressEntry(input, level);
}

/** Write the local headers and data in sorted order while the queue compresses ahead. */
async function writeEntries(
  planned: PlannedEntry[],
  out: AtomicOutputFile,
  level: number,
  concurrency: number,
  dos: DosDateTime,
): Promise<{ records: EntryRecord[]; unzippedBytes: number }> {
  const queue = new CompressionQueue(planned.length, concurrency, (index) =>
    loadAndCompress(planned[index]!, level),
  );
  const records: EntryRecord[] = [];
  let unzippedBytes = 0;
  try {
    queue.pump();
    for (const entry of planned) {
      const compressed = await queue.next();
      queue.release(compressed);
      const record = entryRecord(entry, compressed, out.offset);
      await out.append(localHeader(record, dos));
      await out.append(compressed.data);
      records.push(record);
      unzippedBytes += compressed.size;
    }
    return { records, unzippedBytes };
  } catch (error) {
    // Let compressions already in the thread pool finish before the caller deletes the temp file,
    // so nothing of this zip is still running when the error reaches the user.
    await queue.stop();
    throw error;
  }
}

/** `offset`: where the entry's local header goes; past 4 GiB the zip would need ZIP64 entries. */
function entryRecord(
  entry: PlannedEntry,
  compressed: CompressedEntry,
  offset: number,
): EntryRecord {
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
