/**
 * What the audit learns from one file's bytes, on its own: a wheel's tags, an ELF file's needs, a
 * foreign binary's format, or nothing (data). Keeping it per file is what lets `lbuild package`
 * keep these facts between builds (facts-cache.ts) and read only the files that changed.
 */
import type { AuditFacts } from './audit-facts.js';
import { identifyBinary, type BinaryInfo } from './binary-kind.js';
import { readElf, type ElfInfo } from './elf-reader.js';
import type { PackageFile } from './package-files.js';
import { isWheelMetadata, parseWheelFile, type WheelFile } from './wheel-tags.js';

export type FileFacts =
  | { kind: 'data' }
  | { kind: 'wheel'; wheel: WheelFile }
  | { kind: 'elf'; info: ElfInfo }
  | { kind: 'foreign'; info: Exclude<BinaryInfo, { format: 'elf' }> };

/** Read one file; a read problem (corrupt, truncated, unreadable) is thrown for the caller to judge. */
export async function readFileFacts(file: PackageFile): Promise<FileFacts> {
  if (isWheelMetadata(file.name)) {
    const text = (await file.bytes.read(0, file.size)).toString('utf8');
    return { kind: 'wheel', wheel: parseWheelFile(file.name, text) };
  }
  const binary = await identifyBinary(file.bytes);
  if (!binary) return { kind: 'data' };
  if (binary.format === 'elf') return { kind: 'elf', info: await readElf(file.bytes) };
  return { kind: 'foreign', info: binary };
}

export function addFileFacts(facts: AuditFacts, file: string, found: FileFacts): void {
  switch (found.kind) {
    case 'wheel':
      facts.wheels.push({ file, wheel: found.wheel });
      break;
    case 'elf':
      facts.elf.push({ file, info: found.info });
      break;
    case 'foreign':
      facts.foreign.push({ file, info: found.info });
      break;
    case 'data':
      break;
  }
}
