/**
 * The build context for a function image, made in memory: a Dockerfile and the files at the
 * paths they take in the image (var/task/..., var/runtime/...). Sent to the engine as a tar, so no
 * folder on the engine's host is needed (remote engines, Docker-in-Docker).
 *
 * Entries are sorted with fixed owners, modes (0644/0755, folders 0755) and times, like the zip:
 * the layer the COPY makes depends only on the content. The content hash goes into a label, so two
 * images can be compared by what they run even though Docker stamps each build with its own time.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { packTar } from '../tar-files.js';

export interface ContextFile {
  /** Path inside the image, without the leading slash: "var/task/app.py". */
  name: string;
  executable: boolean;
  data: Buffer;
}

export async function contextTar(
  dockerfile: string,
  files: ContextFile[],
  mtime: Date,
): Promise<Buffer> {
  const entries = [
    { name: 'Dockerfile', content: dockerfile },
    ...sortByName(files).map((file) => ({
      name: file.name,
      content: file.data,
      executable: file.executable,
    })),
  ];
  return packTar(entries, { mtime, parents: true });
}

/** sha256 over names, x bits and contents, in name order. */
export function contentSha256(files: ContextFile[]): string {
  const hash = createHash('sha256');
  for (const file of sortByName(files)) {
    hash.update(`${file.name}\0${file.executable ? 'x' : '-'}\0${file.data.length}\0`);
    hash.update(file.data);
  }
  return hash.digest('hex');
}

/** lbuild's bootstrap for a language, as context files under `prefix` (e.g. "var/runtime/"). */
export async function bootstrapFiles(folder: string, prefix: string): Promise<ContextFile[]> {
  const files: ContextFile[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const name of (await readdir(join(folder, relative))).sort()) {
      if (name === '__pycache__') continue;
      const rel = relative ? `${relative}/${name}` : name;
      const info = await stat(join(folder, rel));
      if (info.isDirectory()) await walk(rel);
      else
        files.push({
          name: `${prefix}${rel}`,
          executable: (info.mode & 0o111) !== 0,
          data: await readFile(join(folder, rel)),
        });
    }
  };
  await walk('');
  return files;
}

function sortByName(files: ContextFile[]): ContextFile[] {
  return [...files].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}
