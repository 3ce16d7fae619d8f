/**
 * The files of a zip whose entries the caller already knows (the zip writer's list: names, sizes
 * and content hashes), read from the zip only if asked: when every file's facts are cached, the
 * zip is never opened. The first read opens it (zip-files.ts) and indexes its entries once.
 */
import { normalizeName, type PackageFile } from './package-files.js';
import { EntryReadError, openZip, zipFiles, type OpenedZip } from './zip-files.js';

export interface ListedEntry {
  name: string;
  size: number;
  sha256: string | undefined;
}

export interface ListedZip {
  files: AsyncIterable<PackageFile>;
  /** Close the zip if a read opened it. */
  close(): void;
}

export function listedZipFiles(path: string, entries: ListedEntry[]): ListedZip {
  let opened: Promise<{ zip: OpenedZip; byName: Map<string, PackageFile> }> | undefined;
  const open = async () => {
    const zip = await openZip(path);
    const byName = new Map<string, PackageFile>();
    for await (const file of zipFiles(zip, path)) byName.set(file.name, file);
    return { zip, byName };
  };
  const fileIn = async (name: string): Promise<PackageFile> => {
    const file = (await (opened ??= open())).byName.get(name);
    if (!file) throw new EntryReadError(`${name} is not in ${path}`);
    return file;
  };
  async function* files(): AsyncIterable<PackageFile> {
    for (const entry of entries) {
      const name = normalizeName(entry.name);
      yield {
        name,
        size: entry.size,
        ...(entry.sha256 ? { sha256: entry.sha256 } : {}),
        bytes: {
          size: entry.size,
          read: async (offset, length) => (await fileIn(name)).bytes.read(offset, length),
        },
      };
    }
  }
  return {
    files: files(),
    close: () => {
      void opened?.then(
        ({ zip }) => zip.zip.close(),
        () => {},
      );
    },
  };
}
