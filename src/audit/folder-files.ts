/**
 * The files of an unpacked package folder. Each file is opened only when first read and read by
 * range, so a 30 MB library costs its headers, not 30 MB. Symbolic links to files count as files
 * (as in a zip made with links followed); links to folders are skipped so cycles cannot happen.
 */
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSource, type ByteSource } from './byte-source.js';
import type { PackageFile } from './package-files.js';

export async function* folderFiles(root: string): AsyncIterable<PackageFile> {
  yield* walk(root, '');
}

async function* walk(dir: string, prefix: string): AsyncIterable<PackageFile> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const name = prefix + entry.name;
    if (entry.isDirectory()) {
      yield* walk(path, `${name}/`);
    } else if (entry.isFile()) {
      yield lazyFile(path, name, (await stat(path)).size);
    } else if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      if (target?.isFile()) yield lazyFile(path, name, target.size);
    }
  }
}

function lazyFile(path: string, name: string, size: number): PackageFile {
  let handle: Promise<FileHandle> | undefined;
  let source: ByteSource | undefined;
  return {
    name,
    size,
    bytes: {
      size,
      async read(offset, length) {
        source ??= fileSource(await (handle ??= open(path, 'r')), size);
        return source.read(offset, length);
      },
    },
    async close() {
      if (handle) await (await handle).close();
      handle = undefined;
      source = undefined;
    },
  };
}
