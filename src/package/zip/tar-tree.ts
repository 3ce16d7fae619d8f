/**
 * Reading Docker's `getArchive` tar into a tree: every file loaded (a symlink may point at a file
 * that comes later in the single stream), hard links made second names of their files, symlinks
 * kept as stored for tar-to-zip.ts to resolve, and which directories exist.
 */
import type { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';
import { EnvironmentError, LbuildError, UserError } from '../../errors.js';
import { normalizeEntryName } from './entry-name.js';

export interface TarFile {
  data: Buffer;
  mode: number;
}

export interface TarTree {
  files: Map<string, TarFile>;
  /** symlink path → target exactly as stored in the tar */
  symlinks: Map<string, string>;
  /** every directory that exists, explicitly or as the parent of something → its child names */
  children: Map<string, Set<string>>;
}

export const linkHint =
  'Lambda gets a zip, not a file system: links are replaced by the files they point to, so the target must be inside the build output. Replace the link with a copy or a relative link to a file in the output.';

/** The archive's entries by kind, as stored; links not resolved yet. */
interface RawTree {
  files: Map<string, TarFile>;
  symlinks: Map<string, string>;
  /** hard link path → the path of the file it names */
  hardLinks: Map<string, string>;
  directories: Set<string>;
}

/** `stripPrefix`: see TarToZipOptions. */
export async function readTree(tar: Readable, stripPrefix: string | undefined): Promise<TarTree> {
  const raw = await readEntries(tar, stripPrefix);
  resolveHardLinks(raw);
  return {
    files: raw.files,
    symlinks: raw.symlinks,
    children: directoryChildren(raw),
  };
}

async function readEntries(tar: Readable, stripPrefix: string | undefined): Promise<RawTree> {
  const prefix = stripPrefix === undefined ? undefined : normalizePrefix(stripPrefix);
  const raw: RawTree = {
    files: new Map(),
    symlinks: new Map(),
    hardLinks: new Map(),
    directories: new Set(),
  };
  // tar-stream's parser is a streamx stream, which node:stream's pipeline() does not fully
  // understand; plain pipe() plus forwarding the source's error is enough here.
  const parser = extract();
  const onSourceError = (error: Error) => parser.destroy(error);
  tar.once('error', onSourceError);
  tar.pipe(parser);
  let completed = false;
  try {
    for await (const entry of parser) {
      const header = entry.header;
      const name = archivePath(header.name, prefix);
      if (name === undefined) {
        entry.resume();
      } else if (header.type === 'file' || header.type === 'contiguous-file') {
        claim(raw, name);
        raw.files.set(name, { data: await readAll(entry), mode: header.mode ?? 0o644 });
      } else {
        addNonFile(raw, name, header, prefix);
        entry.resume();
      }
    }
    completed = true;
  } catch (error) {
    if (error instanceof LbuildError) throw error;
    throw new EnvironmentError(
      `could not read the build output archive: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        hint: 'The tar stream from Docker ended early or is corrupt; check the engine connection and re-run.',
      },
    );
  } finally {
    tar.off('error', onSourceError);
    // On failure, stop the transfer (for Docker, close the HTTP response) instead of draining it.
    if (!completed) tar.destroy();
  }
  return raw;
}

function claim(raw: RawTree, name: string): void {
  if (raw.files.has(name) || raw.symlinks.has(name) || raw.hardLinks.has(name)) {
    throw new UserError(`the build output archive lists ${JSON.stringify(name)} twice`, {
      hint: 'This is unexpected from Docker; re-run the build.',
    });
  }
}

/** A directory or a link: only its header matters. Any other kind cannot go into a zip. */
function addNonFile(raw: RawTree, name: string, header: Header, prefix: string | undefined): void {
  switch (header.type) {
    case 'directory':
      raw.directories.add(name);
      break;
    case 'symlink':
      claim(raw, name);
      raw.symlinks.set(name, header.linkname ?? '');
      break;
    case 'link': {
      claim(raw, name);
      const target = archivePath(header.linkname ?? '', prefix);
      if (target === undefined)
        throw new UserError(`hard link ${name} points at the archive root`, { hint: linkHint });
      raw.hardLinks.set(name, target);
      break;
    }
    default:
      throw new UserError(
        `${name} in the build output is a ${header.type ?? 'tar entry of unknown type'}; only files, directories and links can go into a Lambda zip`,
        {
          hint: 'Remove it from the output directory in your build step.',
        },
      );
  }
}

/** A hard link names a file stored earlier in the same archive; it is that file under a second name. */
function resolveHardLinks(raw: RawTree): void {
  for (const [name, target] of raw.hardLinks) {
    const file = raw.files.get(target);
    if (!file)
      throw new UserError(
        `hard link ${name} points to ${target}, which is not a file in the build output`,
        { hint: linkHint },
      );
    raw.files.set(name, file);
  }
}

/** Every directory that exists, explicitly or as the parent of something → its child names. */
function directoryChildren(raw: RawTree): Map<string, Set<string>> {
  const children = new Map<string, Set<string>>([['', new Set()]]);
  const addPath = (path: string) => {
    let child = path;
    while (child !== '') {
      const slash = child.lastIndexOf('/');
      const parent = slash < 0 ? '' : child.slice(0, slash);
      let set = children.get(parent);
      if (!set) children.set(parent, (set = new Set()));
      set.add(child.slice(slash + 1));
      child = parent;
    }
  };
  for (const path of [...raw.files.keys(), ...raw.symlinks.keys(), ...raw.directories])
    addPath(path);
  for (const directory of raw.directories)
    if (!children.has(directory)) children.set(directory, new Set());
  return children;
}

/** A tar name → its path in the zip, or undefined for the root / the stripped top folder itself. */
function archivePath(raw: string, prefix: string | undefined): string | undefined {
  const trimmed = raw.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (trimmed === '' || trimmed === '.') return undefined;
  const name = normalizeEntryName(trimmed); // rejects absolute names and `..` (zip-slip)
  if (prefix === undefined) return name;
  if (name === prefix) return undefined;
  if (!name.startsWith(`${prefix}/`)) {
    throw new UserError(`build output entry ${name} is not under ${prefix}/`, {
      hint: 'The archive does not come from the expected output directory.',
    });
  }
  return name.slice(prefix.length + 1);
}

function normalizePrefix(prefix: string): string | undefined {
  const trimmed = prefix.replace(/^(\.\/)+/, '').replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? undefined : normalizeEntryName(trimmed);
}

async function readAll(entry: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
