/**
 * The files of a zip, read with yauzl (ZIP64, streaming, never the whole archive in memory). Each
 * entry inflates only its first bytes until a reader asks for more, so text files cost a few
 * hundred compressed bytes and only binaries are inflated whole.
 */
import { constants, inflateRawSync } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { UserError } from '../errors.js';
import { bufferSource, type ByteSource } from './byte-source.js';
import { headBytes } from './binary-kind.js';
import { normalizeName, type PackageFile } from './package-files.js';

/** Compressed bytes inflated to get an entry's head: deflate block headers fit in far less. */
const rawHeadBytes = 1024;

export async function openZip(path: string): Promise<ZipFile> {
  try {
    return await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true });
  } catch (error) {
    throw new UserError(`${path} is not a zip file lbuild can read: ${(error as Error).message}`, {
      cause: error,
      hint: 'Pass the deployment zip (for example the one `lbuild package` wrote) or the unpacked code folder.',
    });
  }
}

/** An entry whose data cannot be read (encrypted, unknown compression, corrupt). */
export class EntryReadError extends Error {}

/** Every file entry of the zip; the caller closes the ZipFile when done. */
export async function* zipFiles(zip: ZipFile): AsyncIterable<PackageFile> {
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName.endsWith('/')) continue;
    yield { name: normalizeName(entry.fileName), size: entry.uncompressedSize, bytes: lazyEntrySource(zip, entry) };
  }
}

function lazyEntrySource(zip: ZipFile, entry: Entry): ByteSource {
  const size = entry.uncompressedSize;
  let head: Promise<Buffer> | undefined;
  let whole: Promise<ByteSource> | undefined;
  return {
    size,
    async read(offset, length) {
      try {
        const first = await (head ??= readHead(zip, entry));
        if (offset + length <= first.length || first.length >= size) return bufferSource(first).read(offset, length);
        return (await (whole ??= readWhole(zip, entry))).read(offset, length);
      } catch (error) {
        if (error instanceof EntryReadError) throw error;
        throw new EntryReadError((error as Error).message, { cause: error });
      }
    },
  };
}

async function readHead(zip: ZipFile, entry: Entry): Promise<Buffer> {
  if (entry.isEncrypted()) throw new EntryReadError('the entry is encrypted (Lambda cannot read it either)');
  const want = Math.min(headBytes, entry.uncompressedSize);
  if (want === 0) return Buffer.alloc(0);
  if (entry.compressionMethod === 0) return readRaw(zip, entry, want);
  if (entry.compressionMethod !== 8) throw new EntryReadError(`compression method ${entry.compressionMethod} is not deflate`);
  const raw = await readRaw(zip, entry, Math.min(rawHeadBytes, entry.compressedSize));
  // Inflate a prefix of the stream: SYNC_FLUSH returns what those bytes decode to without
  // complaining that the stream has not ended.
  const head = inflateRawSync(raw, { finishFlush: constants.Z_SYNC_FLUSH });
  return head.length >= want ? head : (await readWhole(zip, entry)).read(0, headBytes);
}

async function readRaw(zip: ZipFile, entry: Entry, end: number): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry, { decodeFileData: false, start: 0, end });
  return Buffer.concat((await stream.toArray()) as Buffer[]);
}

async function readWhole(zip: ZipFile, entry: Entry): Promise<ByteSource> {
  const stream = await zip.openReadStreamPromise(entry);
  return bufferSource(Buffer.concat((await stream.toArray()) as Buffer[]));
}
