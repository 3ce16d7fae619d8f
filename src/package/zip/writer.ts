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

/**
 * Completed compressions waiting for their turn to be written are held in memory; beyond this many
 * bytes we stop starting new ones, so a huge entry at the head cannot make us buffer everything.
 */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

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

/**
 * Compress with up to `concurrency` entries in flight, write strictly in sorted order. A finished
 * compression frees its slot at once (not when its turn to be written comes), so a big entry at the
 * head of the queue keeps one core while the others go on with the small ones behind it.
 */
async function writeEntries(
  planned: PlannedEntry[],
  out: AtomicOutputFile,
  level: number,
  concurrency: number,
  dos: DosDateTime,
): Promise<{ records: EntryRecord[]; unzippedBytes: number }> {
  const results: Array<Promise<CompressedEntry> | undefined> = new Array(planned.length);
  let started = 0;
  let running = 0;
  let written = 0;
  let bufferedBytes = 0;
  let stopped = false;

  const pump = (): void => {
    while (
      !stopped &&
      started < planned.length &&
      running < concurrency &&
      (started === written || bufferedBytes < MAX_BUFFERED_BYTES)
    ) {
      const index = started++;
      running++;
      const result = loadAndCompress(planned[index]!, level).finally(() => {
        running--;
      });
      results[index] = result;
      // The writer awaits `result` in order; this handler only refills the slot (and keeps a
      // rejection that the writer never reaches, after an earlier failure, from being unhandled).
      result.then(
        (compressed) => {
          bufferedBytes += compressed.data.length;
          pump();
        },
        () => {},
      );
    }
  };

  const records: EntryRecord[] = [];
  let unzippedBytes = 0;
  try {
    pump();
    for (let index = 0; index < planned.length; index++) {
      const compressed = await results[index]!;
      results[index] = undefined;
      bufferedBytes -= compressed.data.length;
      written++;
      pump();

      const entry = planned[index]!;
      const record: EntryRecord = {
        name: entry.name,
        method: compressed.method,
        crc: compressed.crc,
        compressedSize: compressed.data.length,
        size: compressed.size,
        externalAttributes: entry.externalAttributes,
        offset: out.offset,
      };
      if (record.offset > MAX_UINT32) {
        throw new LimitError('the zip would be larger than 4 GiB', {
          hint: 'Lambda accepts at most 250 MB unzipped; make the package smaller.',
        });
      }
      await out.append(localHeader(record, dos));
      await out.append(compressed.data);
      records.push(record);
      unzippedBytes += compressed.size;
    }
    return { records, unzippedBytes };
  } catch (error) {
    // Let compressions already in the thread pool finish before the caller deletes the temp file,
    // so nothing of this zip is still running when the error reaches the user.
    stopped = true;
    await Promise.allSettled(results.filter((result) => result !== undefined));
    throw error;
  }
}
