/**
 * Packing host files into a tar for putArchive. Entries are sorted and stripped of owners and
 * times, so the same files always give the same bytes (which is what the cache key hashes).
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { pack } from 'tar-stream';

export interface TarInput {
  /** Name inside the archive. */
  name: string;
  content: Buffer;
  executable: boolean;
}

/** Folders inside local packages that are build output, not input. */
const skippedFolders = new Set([
  '.git',
  'node_modules',
  '__pycache__',
  'build',
  '.lbuild',
  '.venv',
]);

/** Expand relative paths (files or folders) under root into sorted tar inputs. */
export async function readTarInputs(root: string, paths: string[]): Promise<TarInput[]> {
  const inputs: TarInput[] = [];
  const add = async (relative: string): Promise<void> => {
    const full = join(root, relative);
    const info = await lstat(full);
    if (info.isSymbolicLink()) return;
    if (info.isDirectory()) {
      for (const name of (await readdir(full)).sort()) {
        if (skippedFolders.has(name) || name.endsWith('.egg-info')) continue;
        await add(`${relative}/${name}`);
      }
      return;
    }
    if (info.isFile())
      inputs.push({
        name: relative,
        content: await readFile(full),
        executable: (info.mode & 0o111) !== 0,
      });
  };
  for (const path of paths) await add(path.replace(/\/+$/, ''));
  const unique = new Map(inputs.map((i) => [i.name, i]));
  return [...unique.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function tarBuffer(inputs: TarInput[], prefix = ''): Promise<Buffer> {
  return packTar(inputs.map((input) => ({ ...input, name: `${prefix}${input.name}` })));
}

export interface TarEntry {
  /** Path in the archive; a folder's ends with "/". */
  name: string;
  content?: Buffer | string;
  executable?: boolean;
}

/**
 * A tar in memory, entries in the order given, owned by root with one fixed time (so equal input
 * gives equal bytes). With `parents`, each entry's missing parent folders go in before it, once.
 */
export async function packTar(
  entries: TarEntry[],
  options: { mtime?: Date; parents?: boolean } = {},
): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk) => chunks.push(chunk as Buffer));
  const finished = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  const common = { uid: 0, gid: 0, mtime: options.mtime ?? new Date(0) };
  const folders = new Set<string>();
  const folder = (name: string) => {
    if (folders.has(name)) return;
    folders.add(name);
    archive.entry({ ...common, name: `${name}/`, type: 'directory', mode: 0o755 });
  };
  for (const entry of entries) {
    const isFolder = entry.name.endsWith('/');
    const parts = entry.name.replace(/\/$/, '').split('/');
    if (options.parents) for (let i = 1; i < parts.length; i++) folder(parts.slice(0, i).join('/'));
    if (isFolder) folder(parts.join('/'));
    else
      archive.entry(
        { ...common, name: entry.name, mode: entry.executable ? 0o755 : 0o644 },
        entry.content ?? Buffer.alloc(0),
      );
  }
  archive.finalize();
  await finished;
  return Buffer.concat(chunks);
}

export function hashInputs(inputs: TarInput[]): string {
  const hash = createHash('sha256');
  for (const input of inputs) {
    hash.update(`${input.name}\0${input.executable ? 'x' : '-'}\0${input.content.length}\0`);
    hash.update(input.content);
  }
  return hash.digest('hex');
}
