/** What was read from a package, for the verdict to judge. */
import type { BinaryInfo } from './binary-kind.js';
import type { ElfInfo } from './elf-reader.js';
import type { WheelFile } from './wheel-tags.js';

export interface AuditFacts {
  /** Every file in the package (to know which libraries it provides, and the unzipped size). */
  files: { name: string; size: number }[];
  /** Size of the zip itself, when a zip was audited. */
  zipBytes?: number;
  elf: { file: string; info: ElfInfo }[];
  foreign: { file: string; info: Exclude<BinaryInfo, { format: 'elf' }> }[];
  wheels: { file: string; wheel: WheelFile }[];
  unreadable: { file: string; reason: string }[];
}
