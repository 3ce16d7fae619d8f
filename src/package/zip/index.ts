export {
  writeReproducibleZip,
  type ZipEntryInput,
  type ZipOptions,
  type ZipResult,
} from './writer.js';
export { tarToZipEntries, type TarToZipOptions } from './tar-to-zip.js';
export {
  resolveZipMtime,
  toDosDateTime,
  DEFAULT_ZIP_MTIME,
  type DosDateTime,
} from './timestamp.js';
export { normalizeEntryName } from './entry-name.js';
