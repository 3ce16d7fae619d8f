/**
 * What keeps the entry cache bounded: every output (a zip path) lists the blobs its last build
 * used, and after each build the blobs its previous build used and this one no longer does are
 * deleted, unless another output's last build still uses them. The cache thus holds what the last
 * build of each output needs, and grows only with the number of outputs; the one leak is blobs
 * written by a build that failed before its zip was finished (a clean `.lbuild/cache` removes them).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ZipEntryCache } from './entry-cache.js';
import type { WrittenEntry } from './writer.js';

interface UsageList {
  output: string;
  blobs: string[];
}

/** Record what the build of `output` used and drop what no output's last build uses any more. */
export async function recordEntryUsage(
  cache: ZipEntryCache,
  output: string,
  entries: WrittenEntry[],
  level: number,
): Promise<{ pruned: number }> {
  const folder = join(cache.dir, 'usage');
  const file = join(folder, `${listName(output)}.json`);
  const blobs = entries.flatMap((entry) =>
    entry.sha256 && entry.size > 0 ? [ZipEntryCache.blobName(entry.sha256, level)] : [],
  );
  const previous = await readList(file);
  await writeList(folder, file, { output: resolve(output), blobs });
  const current = new Set(blobs);
  const dropped = (previous?.blobs ?? []).filter((blob) => !current.has(blob));
  if (dropped.length === 0) return { pruned: 0 };
  const stillUsed = await usedByOthers(folder, file);
  const unused = dropped.filter((blob) => !stillUsed.has(blob));
  await Promise.all(unused.map((blob) => rm(join(cache.dir, blob), { force: true })));
  return { pruned: unused.length };
}

function listName(output: string): string {
  return createHash('sha256').update(resolve(output)).digest('hex').slice(0, 32);
}

async function readList(file: string): Promise<UsageList | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<UsageList>;
    return Array.isArray(parsed.blobs) && typeof parsed.output === 'string'
      ? { output: parsed.output, blobs: parsed.blobs.filter(isBlobName) }
      : undefined;
  } catch {
    return undefined; // none yet, or damaged: then nothing is pruned on its account
  }
}

/** Only names of the form put() writes, so a damaged list can never delete anything else. */
function isBlobName(value: unknown): value is string {
  return (
    typeof value === 'string' && /^deflate\d-zlib[\w.-]+\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(value)
  );
}

async function writeList(folder: string, file: string, list: UsageList): Promise<void> {
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(temp, JSON.stringify(list));
    await rename(temp, file);
  } catch {
    await rm(temp, { force: true }).catch(() => {});
  }
}

async function usedByOthers(folder: string, own: string): Promise<Set<string>> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const used = new Set<string>();
  for (const name of names) {
    const file = join(folder, name);
    if (file === own || !name.endsWith('.json')) continue;
    for (const blob of (await readList(file))?.blobs ?? []) used.add(blob);
  }
  return used;
}
