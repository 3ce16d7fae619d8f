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
const skippedFolders = new Set(['.git', 'node_modules', '__pycache__', 'build', '.lbuild', '.venv']);

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
    if (info.isFile()) inputs.push({ name: relative, content: await readFile(full), executable: (info.mode & 0o111) !== 0 });
  };
  for (const path of paths) await add(path.replace(/\/+$/, ''));
  const unique = new Map(inputs.map((i) => [i.name, i]));
  return [...unique.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function tarBuffer(inputs: TarInput[], prefix = ''): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk) => chunks.push(chunk as Buffer));
  const finished = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  for (const input of inputs) {
    archive.entry({ name: `${prefix}${input.name}`, mode: input.executable ? 0o755 : 0o644, mtime: new Date(0), uid: 0, gid: 0 }, input.content);
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
