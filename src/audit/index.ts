/** The audit library: what the CLI and `lbuild package` call. */
export {
  auditEntries,
  auditFiles,
  auditFolder,
  auditListedZip,
  auditPath,
  auditZip,
  type AuditOptions,
  type AuditReport,
} from './audit.js';
export { AuditFactsCache } from './facts-cache.js';
export { AuditFailedError, assertAuditPassed } from './audit-error.js';
export { findingLines, formatAuditReport } from './report-text.js';
export { wholePackage, type Finding, type FindingKind } from './finding.js';
export type { EntryInput, PackageFile } from './package-files.js';
export { readElf, type ElfInfo, type VersionNeed } from './elf-reader.js';
export { identifyBinary, type BinaryInfo } from './binary-kind.js';
