/**
 * One planned entry → its compressed form: loaded and deflated, or (with a cache) taken from the
 * entry cache when its content was compressed before with the same settings. A known content
 * sha256 (from a dependency tree's entry list) finds the hit without loading the file at all; a
 * miss loads and hashes the content itself, so what is stored is filed under its real hash.
 */
import { createHash } from 'node:crypto';
import { LimitError, UserError } from '../../errors.js';
import { compressEntry, type CompressedEntry } from './compress.js';
import type { ZipEntryCache } from './entry-cache.js';
import { MAX_UINT32 } from './format.js';

/** sha256 of no bytes: an entry known to be empty is never loaded (nor its tree read for it). */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface ProducibleEntry {
  name: Buffer;
  data: Buffer | (() => Promise<Buffer>);
  /** The content's sha256 if the caller already knows it. */
  sha256: string | undefined;
}

export interface ProducedEntry extends CompressedEntry {
  /** The content's sha256; undefined when no cache was used (nothing needed it). */
  sha256: string | undefined;
  /** The compressed bytes came from the cache. */
  reused: boolean;
}

export async function produceEntry(
  entry: ProducibleEntry,
  level: number,
  cache: ZipEntryCache | undefined,
): Promise<ProducedEntry> {
  if (!cache)
    return { ...(await compressEntry(await load(entry), level)), sha256: undefined, reused: false };
  if (entry.sha256 === EMPTY_SHA256)
    return {
      ...(await compressEntry(Buffer.alloc(0), level)),
      sha256: EMPTY_SHA256,
      reused: false,
    };
  if (entry.sha256) {
    const hit = cache.get(entry.sha256, level);
    if (hit) return { ...hit, sha256: entry.sha256, reused: true };
  }
  const input = await load(entry);
  // An empty file costs nothing to "compress" and is not worth a blob.
  if (input.length === 0)
    return { ...(await compressEntry(input, level)), sha256: sha256Of(input), reused: false };
  const sha256 = sha256Of(input);
  if (sha256 !== entry.sha256) {
    const hit = cache.get(sha256, level);
    if (hit) return { ...hit, sha256, reused: true };
  }
  const compressed = await compressEntry(input, level);
  await cache.put(sha256, level, compressed);
  return { ...compressed, sha256, reused: false };
}

async function load(entry: ProducibleEntry): Promise<Buffer> {
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
  return input;
}

function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
