/**
 * Which libraries a package brings itself: a needed library it carries is no problem, and its
 * symbol versions are its own business (glibc's excepted, see version-findings.ts).
 */
import type { AuditFacts } from './audit-facts.js';

/** Base names of every file and the SONAME of every ELF file in the package. */
export function providedLibraries(facts: AuditFacts): Set<string> {
  const names = new Set<string>();
  for (const { name } of facts.files) names.add(baseName(name));
  for (const { info } of facts.elf) if (info.soname) names.add(info.soname);
  return names;
}

/** The file name of a '/'-separated path: how the loader looks a library up. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
