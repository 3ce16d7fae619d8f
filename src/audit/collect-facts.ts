/**
 * Reading a package into the facts the verdict judges: each file is identified by its first bytes,
 * ELF files and wheel metadata are read (file-facts.ts), and a file that cannot be read becomes a
 * finding, not a failure of the whole audit. With a facts cache, a file whose content hash has
 * facts already is not read at all.
 */
import type { AuditFacts } from './audit-facts.js';
import { ElfFormatError } from './elf-reader.js';
import type { AuditFactsCache } from './facts-cache.js';
import { addFileFacts, readFileFacts } from './file-facts.js';
import type { PackageFile } from './package-files.js';
import { EntryReadError } from './zip-files.js';

/** Files read at once: enough to overlap file-system latency, few enough to keep memory flat. */
const concurrency = 8;

export async function collectFacts(
  files: AsyncIterable<PackageFile>,
  zipBytes: number | undefined,
  cache?: AuditFactsCache,
): Promise<{ facts: AuditFacts; bytes: number; reusedFiles: number }> {
  const facts: AuditFacts = {
    files: [],
    zipBytes,
    elf: [],
    foreign: [],
    wheels: [],
    unreadable: [],
  };
  let bytes = 0;
  let reusedFiles = 0;

  const inspect = async (file: PackageFile): Promise<void> => {
    facts.files.push({ name: file.name, size: file.size });
    bytes += file.size;
    try {
      const known = cache?.get(file);
      if (known) reusedFiles++;
      const found = known ?? (await readFileFacts(file));
      if (!known) cache?.set(file, found);
      addFileFacts(facts, file.name, found);
    } catch (error) {
      if (!isReadProblem(error)) throw error;
      facts.unreadable.push({ file: file.name, reason: error.message });
    } finally {
      await file.close?.();
    }
  };

  const iterator = files[Symbol.asyncIterator]();
  const worker = async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      await inspect(next.value);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  return { facts, bytes, reusedFiles };
}

/** A problem with one file's bytes (corrupt, truncated, unreadable entry), not a bug in lbuild. */
function isReadProblem(error: unknown): error is Error {
  if (error instanceof ElfFormatError || error instanceof EntryReadError) return true;
  const code = (error as { code?: unknown }).code;
  // Buffer reads past the end of a truncated table.
  if (
    error instanceof RangeError &&
    (code === 'ERR_OUT_OF_RANGE' || code === 'ERR_BUFFER_OUT_OF_BOUNDS')
  )
    return true;
  // A file in a folder that cannot be opened, or vanished while the audit ran.
  return (
    error instanceof Error &&
    typeof code === 'string' &&
    ['EACCES', 'EPERM', 'ENOENT', 'EISDIR', 'ELOOP', 'EIO'].includes(code)
  );
}
