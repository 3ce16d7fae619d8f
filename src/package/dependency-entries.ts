/**
 * The zip entries of an installed dependency tree (a cached tar), with their sizes and content
 * sha256s listed once in `<tar>.entries.json` beside it. A cached tar never changes (its name is
 * its cache key), so on the next build the list alone says what the tree holds: with the zip entry
 * cache a code-only change then never reads or hashes the tree, and the tar is parsed only if some
 * entry has to be compressed again. The list is trusted only for the tar of the same size and
 * mtime it was made from; otherwise it is made again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { InternalError } from '../errors.js';
import { tarToZipEntries } from './zip/index.js';
import type { SizedEntry } from './gather-entries.js';

/** Bump when the list's shape or the way entries are derived from the tar changes. */
const listFormat = 1;

interface ListedEntry {
  name: string;
  mode: number;
  size: number;
  sha256: string;
}

interface EntryList {
  format: number;
  tarBytes: number;
  tarMtimeMs: number;
  entries: ListedEntry[];
}

/** The tree's files, names relative to its root (`out/` stripped). */
export async function dependencyEntries(depsTar: string): Promise<SizedEntry[]> {
  const tar = await stat(depsTar);
  const listed = await readList(depsTar, tar.size, tar.mtimeMs);
  if (listed) return lazyEntries(depsTar, listed);
  const entries = await readEntries(depsTar);
  await writeList(depsTar, {
    format: listFormat,
    tarBytes: tar.size,
    tarMtimeMs: tar.mtimeMs,
    entries: entries.map(({ name, mode, size, sha256 }) => ({ name, mode, size, sha256 })),
  });
  return entries;
}

async function readEntries(
  depsTar: string,
): Promise<Array<SizedEntry & { data: Buffer; sha256: string }>> {
  const entries: Array<SizedEntry & { data: Buffer; sha256: string }> = [];
  for await (const entry of tarToZipEntries(createReadStream(depsTar), { stripPrefix: 'out/' })) {
    const data = typeof entry.data === 'function' ? await entry.data() : entry.data;
    const sha256 = createHash('sha256').update(data).digest('hex');
    entries.push({ name: entry.name, mode: entry.mode, data, size: data.length, sha256 });
  }
  return entries;
}

/** Listed entries whose content is read (the whole tar, once) only if some entry needs it. */
function lazyEntries(depsTar: string, listed: ListedEntry[]): SizedEntry[] {
  let tree: Promise<Map<string, Buffer>> | undefined;
  const content = async (name: string): Promise<Buffer> => {
    tree ??= readEntries(depsTar).then((all) => new Map(all.map((e) => [e.name, e.data])));
    const data = (await tree).get(name);
    if (!data)
      throw new InternalError(`${name} is listed for ${depsTar} but not in it`, {
        hint: `Delete ${depsTar}.entries.json (or run with --no-cache) and build again.`,
      });
    return data;
  };
  return listed.map((entry) => ({
    name: entry.name,
    mode: entry.mode,
    size: entry.size,
    sha256: entry.sha256,
    data: () => content(entry.name),
  }));
}

async function readList(
  depsTar: string,
  tarBytes: number,
  tarMtimeMs: number,
): Promise<ListedEntry[] | undefined> {
  try {
    const list = JSON.parse(await readFile(`${depsTar}.entries.json`, 'utf8')) as EntryList;
    const fits =
      list.format === listFormat &&
      list.tarBytes === tarBytes &&
      list.tarMtimeMs === tarMtimeMs &&
      Array.isArray(list.entries);
    return fits ? list.entries : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort, atomically: without the list the next build only reads the tar again. */
async function writeList(depsTar: string, list: EntryList): Promise<void> {
  const file = `${depsTar}.entries.json`;
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temp, JSON.stringify(list));
    await rename(temp, file);
  } catch {
    await rm(temp, { force: true }).catch(() => {});
  }
}
