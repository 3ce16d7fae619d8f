/**
 * Response metadata of an object: Content-Type, Cache-Control, whether to compress it, and the
 * validators (ETag, Last-Modified) of its current version. Worked out once per key rather than on every
 * request (a glob match, a MIME lookup and a date format add up at tens of thousands of requests per
 * second); the validators are recomputed as soon as the file's version changes.
 */
import type { FileVersion } from './body-cache.js';
import type { CacheControlFor } from './cache-control.js';
import { contentTypeFor, isCompressible } from './media-type.js';

export interface Validators {
  etag: string;
  lastModified: string;
}

export interface FileMeta extends Validators {
  contentType: string;
  cacheControl: string;
  compressible: boolean;
}

/**
 * Weak ETag from size + mtime in microseconds (send's own uses milliseconds, which misses two saves in
 * the same millisecond). Weak, so it stays valid for every Content-Encoding of the same file, which is
 * what nginx and CloudFront do when they compress.
 */
export function etagFor(version: Pick<FileVersion, 'size' | 'mtimeMs'>): string {
  return `W/"${version.size.toString(16)}-${Math.round(version.mtimeMs * 1000).toString(16)}"`;
}

export function validatorsFor(version: FileVersion): Validators {
  return { etag: etagFor(version), lastModified: new Date(version.mtimeMs).toUTCString() };
}

interface Entry {
  meta: FileMeta;
  version: FileVersion;
}

/** Keys of files that exist; a site has far fewer, but a bound keeps a crawler from growing it forever. */
const maxEntries = 10_000;

export class FileMetaTable {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly cacheControlFor: CacheControlFor,
    private readonly compress: boolean,
  ) {}

  get(key: string, version: FileVersion): FileMeta {
    const entry = this.entries.get(key);
    if (entry) {
      const known = entry.version;
      if (
        known.size !== version.size ||
        known.mtimeMs !== version.mtimeMs ||
        known.ino !== version.ino
      ) {
        entry.version = version;
        entry.meta = { ...entry.meta, ...validatorsFor(version) };
      }
      return entry.meta;
    }
    const contentType = contentTypeFor(key);
    const meta: FileMeta = {
      contentType,
      cacheControl: this.cacheControlFor(key, contentType),
      compressible: this.compress && isCompressible(contentType),
      ...validatorsFor(version),
    };
    if (this.entries.size >= maxEntries) this.entries.clear();
    this.entries.set(key, { meta, version });
    return meta;
  }
}
