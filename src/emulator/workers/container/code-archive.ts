/**
 * Tar archives for putArchive: the function code under var/task (from a folder or a zip) and, for
 * images without AWS's runtime client, lbuild's bootstrap under var/runtime. Owners are root and
 * modes 0644/0755, as Lambda unpacks code: readable, not writable, by the function's user.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { packTar } from '../../../package/tar-files.js';
import { readZipEntries } from './zip-entries.js';

export type CodeSource = { dir: string } | { zip: string };

interface FileEntry {
  name: string;
  content: Buffer;
  executable: boolean;
}

/** Folders that are never function code, even when they sit in the code folder. */
const skipped = new Set([
  '.git',
  '.lbuild',
  '__pycache__',
  '.venv',
  '.mypy_cache',
  '.pytest_cache',
]);

async function walk(root: string, relative = ''): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  for (const name of (await readdir(join(root, relative))).sort()) {
    if (skipped.has(name)) continue;
    const rel = relative ? `${relative}/${name}` : name;
    const info = await lstat(join(root, rel));
    if (info.isDirectory()) out.push(...(await walk(root, rel)));
    else if (info.isFile())
      out.push({
        name: rel,
        content: await readFile(join(root, rel)),
        executable: (info.mode & 0o111) !== 0,
      });
    // Symlinks are skipped: Lambda zips store them as files, and a link could point outside the code.
  }
  return out;
}

export async function codeFiles(source: CodeSource): Promise<FileEntry[]> {
  if ('dir' in source) return walk(source.dir);
  const entries = await readZipEntries(source.zip);
  return entries
    .filter((entry) => !entry.directory)
    .map((entry) => ({
      name: entry.name,
      content: entry.content,
      executable: entry.mode !== undefined && (entry.mode & 0o111) !== 0,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Layer zips as Lambda applies them under /opt: in order, a later layer's file replacing an
 * earlier one's of the same path.
 */
export async function layerFiles(zips: string[]): Promise<FileEntry[]> {
  const byName = new Map<string, FileEntry>();
  for (const zip of zips) for (const file of await codeFiles({ zip })) byName.set(file.name, file);
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function runtimeFiles(dir: string): Promise<FileEntry[]> {
  return walk(dir);
}

/** One tar with every file under its prefix (e.g. "var/task/"), parent folders included, fixed times. */
export async function tarOf(
  groups: Array<{ prefix: string; files: FileEntry[] }>,
): Promise<Buffer> {
  return packTar(
    groups.flatMap(({ prefix, files }) => [
      { name: prefix },
      ...files.map((file) => ({
        name: `${prefix}${file.name}`,
        content: file.content,
        executable: file.executable,
      })),
    ]),
    { parents: true },
  );
}

export function hashBuffers(...parts: Array<Buffer | string>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}
