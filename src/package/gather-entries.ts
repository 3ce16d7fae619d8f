/** The zip or image entries: the installed tree's files and the sources, merged into one list. */
import { readFile } from 'node:fs/promises';
import type { SourceFile } from './collect-sources.js';
import { dependencyEntries } from './dependency-entries.js';
import type { ZipEntryInput } from './zip/index.js';

export type SizedEntry = ZipEntryInput & { size: number };

/**
 * The installed tree's files (names relative to its root; see dependency-entries.ts for when the
 * tar is read) and the sources, read lazily.
 */
export async function gatherEntries(
  sources: SourceFile[],
  depsTar: string | undefined,
): Promise<{ dependencies: SizedEntry[]; sources: SizedEntry[] }> {
  const dependencies = depsTar ? await dependencyEntries(depsTar) : [];
  const files = sources.map((file) => ({
    name: file.name,
    mode: file.executable ? 0o755 : 0o644,
    size: file.size,
    data: () => readFile(file.absolutePath),
  }));
  return { dependencies, sources: files };
}

/** Dependencies first, then sources; a source file with the same name as a dependency file wins. */
export function mergeEntries(
  dependencies: SizedEntry[],
  sources: SizedEntry[],
  warn: (message: string) => void,
): SizedEntry[] {
  const byName = new Map(dependencies.map((entry) => [entry.name, entry]));
  const shadowed: string[] = [];
  for (const file of sources) {
    if (byName.has(file.name)) shadowed.push(file.name);
    byName.set(file.name, file);
  }
  if (shadowed.length > 0)
    warn(
      `${shadowed.length} source file(s) replace installed dependency files of the same name: ${shadowed.slice(0, 3).join(', ')}`,
    );
  return [...byName.values()];
}
