/**
 * Reading a package into the facts the verdict judges: each file is identified by its first bytes,
 * ELF files and wheel metadata are read, and a file that cannot be read becomes a finding, not a
 * failure of the whole audit.
 */
import type { AuditFacts } from './audit-facts.js';
import { identifyBinary } from './binary-kind.js';
import { ElfFormatError, readElf } from './elf-reader.js';
import type { PackageFile } from './package-files.js';
import { isWheelMetadata, parseWheelFile } from './wheel-tags.js';
import { EntryReadError } from './zip-files.js';

/** Files read at once: enough to overlap file-system latency, few enough to keep memory flat. */
const concurrency = 8;

export async function collectFacts(
  files: AsyncIterable<PackageFile>,
  zipBytes: number | undefined,
): Promise<{ facts: AuditFacts; bytes: number }> {
  const facts: AuditFacts = {
    files: [],
    zipBytes,
    elf: [],
    foreign: [],
    wheels: [],
    unreadable: [],
  };
  let bytes = 0;

  const inspect = async (file: PackageFile): Promise<void> => {
    facts.files.push({ name: file.name, size: file.size });
    bytes += file.size;
    try {
      if (isWheelMetadata(file.name)) {
        const text = (await file.bytes.read(0, file.size)).toString('utf8');
        facts.wheels.push({ file: file.name, wheel: parseWheelFile(file.name, text) });
        return;
      }
      const binary = await identifyBinary(file.bytes);
      if (!binary) return;
      if (binary.format === 'elf')
        facts.elf.push({ file: file.name, info: await readElf(file.bytes) });
      else facts.foreign.push({ file: file.name, info: binary });
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

  return { facts, bytes };
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
