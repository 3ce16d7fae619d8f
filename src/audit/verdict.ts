/**
 * The judgement: what was read from the package (ELF facts, foreign binaries, wheel tags) against
 * one runtime and architecture. Pure; every finding names the file, what is wrong and how to fix it.
 */
import type { AuditFacts } from './audit-facts.js';
import { judgeElf } from './elf-findings.js';
import type { Finding, FindingKind, Target } from './finding.js';
import { foreignFinding, isHarmlessLauncher } from './foreign-findings.js';
import { isOtherPlatformFolder, platformMarker } from './platform-folders.js';
import { providedLibraries } from './provided-libraries.js';
import { judgeSize } from './size-findings.js';
import { judgeWheel } from './wheel-findings.js';

export interface Verdict {
  errors: Finding[];
  warnings: Finding[];
}

/** Findings that mean "built for another platform", which a platform folder can explain. */
const platformKinds: ReadonlySet<FindingKind> = new Set([
  'wrong-architecture',
  'musl-binary',
  'macos-binary',
  'windows-binary',
]);

export function judge(facts: AuditFacts, target: Target): Verdict {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const provided = providedLibraries(facts);
  const platformError = (finding: Finding) => {
    const marker = platformMarker(finding.file);
    if (!marker || !isOtherPlatformFolder(marker, target.architecture)) {
      errors.push(finding);
      return;
    }
    warnings.push({
      file: finding.file,
      kind: 'other-platform-binary',
      message: `${finding.message}; it is in ${marker.where}, a folder for another platform, so Lambda never loads it`,
      fix: `Nothing to fix if the package also carries its Linux ${target.architecture} build; exclude the folder (package.exclude) to save space.`,
    });
  };
  for (const { file, info } of facts.elf) {
    const own: Finding[] = [];
    judgeElf(file, info, target, provided, own, warnings);
    for (const finding of own) {
      if (platformKinds.has(finding.kind)) platformError(finding);
      else errors.push(finding);
    }
  }
  for (const { file, info } of facts.foreign) {
    if (!isHarmlessLauncher(file)) platformError(foreignFinding(file, info, target));
  }
  for (const { file, wheel } of facts.wheels) errors.push(...judgeWheel(file, wheel, target));
  judgeSize(facts, errors, warnings);
  for (const { file, reason } of facts.unreadable) {
    warnings.push({
      file,
      kind: 'unreadable-file',
      message: `could not read this file: ${reason}`,
      fix: 'Check that the file is not truncated, corrupt or encrypted.',
    });
  }
  const order = (a: Finding, b: Finding) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
  return { errors: errors.sort(order), warnings: warnings.sort(order) };
}
