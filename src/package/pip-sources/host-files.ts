/**
 * Package-source files on the host, handled without holding them in memory: a wheel folder can be
 * hundreds of megabytes (a CPU build of torch is 190 MB) and PIP_FIND_LINKS may name one for every
 * build. Listing only stats; the content hash is remembered per (path, size, mtime, inode), so a
 * cache hit or a hot reload re-reads nothing that has not changed; the tar for putArchive streams
 * each file from disk.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack } from 'tar-stream';

export interface HostFile {
  /** Name in the container (absolute path without the leading slash). */
  name: string;
  hostPath: string;
  size: number;
  executable: boolean;
}

/** Every file under `hostPath` (or the file itself), named under `at`, sorted. Links are followed. */
export async function listHostFiles(hostPath: string, at: string): Promise<HostFile[]> {
  const info = await stat(hostPath);
  if (info.isFile())
    return [{ name: at, hostPath, size: info.size, executable: (info.mode & 0o111) !== 0 }];
  if (!info.isDirectory()) return [];
  const files: HostFile[] = [];
  for (const entry of (await readdir(hostPath)).sort())
    files.push(...(await listHostFiles(join(hostPath, entry), `${at}/${entry}`)));
  return files;
}

const hashes = new Map<string, Promise<string>>();

async function fileSha256(file: HostFile): Promise<string> {
  const info = await stat(file.hostPath);
  const id = `${file.hostPath}\0${info.size}\0${info.mtimeMs}\0${info.ino}`;
  let hash = hashes.get(id);
  if (!hash) {
    const digest = createHash('sha256');
    hash = pipeline(createReadStream(file.hostPath), digest).then(() => digest.digest('hex'));
    hashes.set(id, hash);
  }
  return hash;
}

/** One hash over the files' names, modes and contents. */
export async function hashHostFiles(files: readonly HostFile[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files)
    hash.update(`${file.name}\0${file.executable ? 'x' : '-'}\0${await fileSha256(file)}\0`);
  return hash.digest('hex');
}

/** A tar of the files, read from disk as it is consumed (owner root, time 0, modes 0644/0755). */
export function streamHostFiles(files: readonly HostFile[]): Readable {
  const archive = pack();
  void (async () => {
    try {
      for (const file of files) {
        const header = {
          name: file.name,
          size: file.size,
          mode: file.executable ? 0o755 : 0o644,
          mtime: new Date(0),
          uid: 0,
          gid: 0,
        };
        await pipeline(createReadStream(file.hostPath), archive.entry(header));
      }
      archive.finalize();
    } catch (error) {
      archive.destroy(error as Error);
    }
  })();
  return archive as unknown as Readable;
}
