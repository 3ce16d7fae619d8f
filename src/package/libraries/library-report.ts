/**
 * What bundling did, for the package report: each library copied into lib/, its size and which
 * files name it in their DT_NEEDED (the package's own extensions, or other bundled libraries for
 * the ones that came along), read with the audit's ELF reader from the tree as cached. Kept
 * beside the cached tree, so a cache hit reports the same as the install that made it.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { bufferSource } from '../../audit/byte-source.js';
import { readElf } from '../../audit/elf-reader.js';
import type { DependencyCache } from '../dependency-cache.js';
import { tarToZipEntries } from '../zip/index.js';
import type { BundlePlan, UnresolvedLibrary } from './bundle-plan.js';
import { libraryDir } from './bundle-libraries.js';

export interface BundledLibrary {
  /** Its path in the installed tree and the zip: lib/<soname> (a layer's lib/, /opt/lib). */
  file: string;
  bytes: number;
  /** Files whose DT_NEEDED names it: the package's binaries, or bundled libraries (lib/...). */
  neededBy: string[];
  /** Where the build container's loader found it. */
  source: string;
}

export interface LibraryBundle {
  libraries: BundledLibrary[];
  /** Libraries the tree needs that the build container could not find either. */
  unresolved: UnresolvedLibrary[];
}

const elfMagic = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/** The plan, with sizes and DT_NEEDED attribution read from the installed tree's tar. */
export async function describeBundle(tarPath: string, plan: BundlePlan): Promise<LibraryBundle> {
  if (plan.bundle.length === 0) return { libraries: [], unresolved: plan.unresolved };
  const wanted = new Set(plan.bundle.map((l) => l.soname));
  const sizes = new Map<string, number>();
  const neededBy = new Map<string, string[]>();
  for await (const entry of tarToZipEntries(createReadStream(tarPath), { stripPrefix: 'out/' })) {
    const data = typeof entry.data === 'function' ? await entry.data() : entry.data;
    sizes.set(entry.name, data.length);
    if (data.length < 64 || !data.subarray(0, 4).equals(elfMagic)) continue;
    const needed = await readElf(bufferSource(data)).then(
      (info) => info.needed,
      () => [] as string[], // a corrupt file is the audit's to report, not bundling's
    );
    for (const soname of needed)
      if (wanted.has(soname)) neededBy.set(soname, [...(neededBy.get(soname) ?? []), entry.name]);
  }
  return {
    libraries: plan.bundle.map(({ soname, source }) => {
      const file = `${libraryDir}/${soname}`;
      return {
        file,
        bytes: sizes.get(file) ?? 0,
        neededBy: (neededBy.get(soname) ?? []).sort(),
        source,
      };
    }),
    unresolved: plan.unresolved,
  };
}

const reportPath = (cache: DependencyCache, key: string) =>
  cache.pathFor(key).replace(/\.tar$/, '.libraries.json');

export async function storeLibraryBundle(
  cache: DependencyCache,
  key: string,
  bundle: LibraryBundle,
): Promise<void> {
  await mkdir(cache.dir, { recursive: true });
  await writeFile(reportPath(cache, key), `${JSON.stringify(bundle, null, 2)}\n`);
}

/** A tree cached without its bundle report (interrupted, or older lbuild) counts as a miss. */
export function hasLibraryBundle(cache: DependencyCache, key: string): boolean {
  return existsSync(reportPath(cache, key));
}

export async function readLibraryBundle(
  cache: DependencyCache,
  key: string,
): Promise<LibraryBundle> {
  return JSON.parse(await readFile(reportPath(cache, key), 'utf8')) as LibraryBundle;
}
