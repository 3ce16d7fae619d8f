/**
 * The files of a zip. yauzl parses the directory (ZIP64, name encodings, validation); the archive
 * itself is read into memory once, which costs less than one asynchronous read per entry (a
 * Lambda zip is at most a few hundred MB: 250 MB unzipped is the limit). Each entry inflates only
 * its first bytes until a reader asks for more, so text files cost a few hundred compressed bytes
 * and only binaries are inflated whole.
 */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { constants, inflateRaw, inflateRawSync } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { UserError } from '../errors.js';
import { bufferSource, type ByteSource } from './byte-source.js';
import { headBytes } from './binary-kind.js';
import { normalizeName, type PackageFile } from './package-files.js';

// Whole entries inflate on libuv's thread pool, so several binaries inflate on several cores.
const inflateRawAsync = promisify(inflateRaw);

/** Compressed bytes inflated to get an entry's head: deflate block headers fit in far less. */
const rawHeadBytes = 1024;

export interface OpenedZip {
  zip: ZipFile;
  data: Buffer;
}

/** An entry whose data cannot be read (encrypted, unknown compression, corrupt). */
export class EntryReadError extends Error {}

export async function openZip(path: string): Promise<OpenedZip> {
  const data = await readFile(path);
  try {
    const zip = await yauzl.fromBufferPromise(data, {
      lazyEntries: true,
      autoClose: false,
      strictFileNames: false,
      validateEntrySizes: true,
    });
    return { zip, data };
  } catch (error) {
    throw new UserError(`${path} is not a zip file lbuild can read: ${(error as Error).message}`, {
      cause: error,
      hint: 'Pass the deployment zip (for example the one `lbuild package` wrote) or the unpacked code folder.',
    });
  }
}

/** Every file entry of the zip; the caller closes the ZipFile when done. */
export async function* zipFiles(
  { zip, data }: OpenedZip,
  path: string,
): AsyncIterable<PackageFile> {
  const entries = zip.eachEntry();
  for (;;) {
    let next: IteratorResult<Entry>;
    try {
      next = await entries.next();
    } catch (error) {
      // A damaged central directory, or a name like "../x" that no unzip should write.
      throw new UserError(`${path} has an entry lbuild cannot read: ${(error as Error).message}`, {
        cause: error,
        hint: 'Rebuild the zip (lbuild package writes clean ones); check it with `unzip -t`.',
      });
    }
    if (next.done) return;
    const entry = next.value;
    if (entry.fileName.endsWith('/')) continue;
    yield {
      name: normalizeName(entry.fileName),
      size: entry.uncompressedSize,
      bytes: lazyEntrySource(zip, data, entry),
    };
  }
}

function lazyEntrySource(zip: ZipFile, data: Buffer, entry: Entry): ByteSource {
  const size = entry.uncompressedSize;
  let raw: Promise<Buffer> | undefined;
  let head: Promise<Buffer> | undefined;
  let whole: Promise<Buffer> | undefined;
  return {
    size,
    async read(offset, length) {
      try {
        const compressed = await (raw ??= rawData(zip, data, entry));
        const first = await (head ??= entryHead(entry, compressed));
        if (offset + length <= first.length || first.length >= size)
          return bufferSource(first).read(offset, length);
        return bufferSource(await (whole ??= inflateWhole(entry, compressed))).read(offset, length);
      } catch (error) {
        if (error instanceof EntryReadError) throw error;
        throw new EntryReadError((error as Error).message, { cause: error });
      }
    },
  };
}

async function rawData(zip: ZipFile, data: Buffer, entry: Entry): Promise<Buffer> {
  if (entry.isEncrypted())
    throw new EntryReadError('the entry is encrypted (Lambda cannot read it either)');
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    throw new EntryReadError(`compression method ${entry.compressionMethod} is not deflate`);
  const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
  const end = fileDataStart + entry.compressedSize;
  if (end > data.length) throw new EntryReadError('the entry runs past the end of the zip');
  return data.subarray(fileDataStart, end);
}

async function entryHead(entry: Entry, compressed: Buffer): Promise<Buffer> {
  if (entry.compressionMethod === 0) return compressed.subarray(0, headBytes);
  // Inflate a prefix of the stream: SYNC_FLUSH returns what those bytes decode to without
  // complaining that the stream has not ended.
  const head = inflateRawSync(compressed.subarray(0, rawHeadBytes), {
    finishFlush: constants.Z_SYNC_FLUSH,
  });
  return head.length >= Math.min(headBytes, entry.uncompressedSize)
    ? head
    : inflateWhole(entry, compressed);
}

async function inflateWhole(entry: Entry, compressed: Buffer): Promise<Buffer> {
  const data =
    entry.compressionMethod === 0
      ? compressed
      : await inflateRawAsync(compressed, { chunkSize: inflateChunk(entry.uncompressedSize) });
  if (data.length !== entry.uncompressedSize) {
    throw new EntryReadError(
      `inflates to ${data.length} bytes, the zip says ${entry.uncompressedSize}`,
    );
  }
  return data;
}

/** Big output chunks: each chunk is a round trip between the thread pool and the main thread. */
function inflateChunk(size: number): number {
  return Math.min(Math.max(size, 64 * 1024), 8 * 1024 * 1024);
}
