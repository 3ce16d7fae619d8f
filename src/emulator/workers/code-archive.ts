/**
 * Tar archives for putArchive: the function code under var/task (from a folder or a zip) and, for
 * images without AWS's runtime client, lbuild's bootstrap under var/runtime. Owners are root and
 * modes 0644/0755, as Lambda unpacks code: readable, not writable, by the function's user.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { readZipEntries } from './zip-entries.js';

export type CodeSource = { dir: string } | { zip: string };

interface FileEntry {
  name: string;
  content: Buffer;
  executable: boolean;
}

/** Folders that are never function code, even when they sit in the code folder. */
const skipped = new Set(['.git', '.lbuild', '__pycache__', '.venv', '.mypy_cache', '.pytest_cache']);

async function walk(root: string, relative = ''): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  for (const name of (await readdir(join(root, relative))).sort()) {
    if (skipped.has(name)) continue;
    const rel = relative ? `${relative}/${name}` : name;
    const info = await lstat(join(root, rel));
    if (info.isDirectory()) out.push(...(await walk(root, rel)));
    else if (info.isFile()) out.push({ name: rel, content: await readFile(join(root, rel)), executable: (info.mode & 0o111) !== 0 });
    // Symlinks are skipped: Lambda zips store them as files, and a link could point outside the code.
  }
  return out;
}

export async function codeFiles(source: CodeSource): Promise<FileEntry[]> {
  if ('dir' in source) return walk(source.dir);
  const entries = await readZipEntries(source.zip);
  return entries
    .filter((entry) => !entry.directory)
    .map((entry) => ({ name: entry.name, content: entry.content, executable: entry.mode !== undefined && (entry.mode & 0o111) !== 0 }))
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
export async function tarOf(groups: Array<{ prefix: string; files: FileEntry[] }>): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  const dirs = new Set<string>();
  const addDirs = (path: string) => {
    const parts = path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      archive.entry({ name: `${dir}/`, type: 'directory', mode: 0o755, uid: 0, gid: 0, mtime: new Date(0) });
    }
  };
  for (const { prefix, files } of groups) {
    addDirs(`${prefix}x`);
    for (const file of files) {
      addDirs(`${prefix}${file.name}`);
      archive.entry({ name: `${prefix}${file.name}`, mode: file.executable ? 0o755 : 0o644, uid: 0, gid: 0, mtime: new Date(0) }, file.content);
    }
  }
  archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

export function hashBuffers(...parts: Array<Buffer | string>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}
