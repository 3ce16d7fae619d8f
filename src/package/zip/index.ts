export {
  defaultZipLevel,
  writeReproducibleZip,
  type ZipEntryInput,
  type ZipOptions,
  type ZipResult,
  type WrittenEntry,
} from './writer.js';
export { ZipEntryCache, type ZipEntryCacheOptions } from './entry-cache.js';
export { recordEntryUsage } from './entry-cache-usage.js';
export { tarToZipEntries, type TarToZipOptions } from './tar-to-zip.js';
export {
  resolveZipMtime,
  toDosDateTime,
  DEFAULT_ZIP_MTIME,
  type DosDateTime,
} from './timestamp.js';
export { normalizeEntryName } from './entry-name.js';
