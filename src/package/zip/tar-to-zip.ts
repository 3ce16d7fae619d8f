/**
 * Docker's `getArchive` tar of the build output → zip entries. The whole tar is read first (it is a
 * single stream, and a symlink may point at a file that comes later), then links are resolved:
 *
 * - a symlink or hard link to a file inside the archive becomes a regular file with that content
 *   (Lambda zips carry no links that Lambda will honour, and `zip -r` does the same);
 * - a symlink to a directory inside the archive is expanded into copies of its files, so every
 *   path that worked in the build container works on Lambda (a venv's `lib64 -> lib`);
 * - a link that leaves the archive (absolute, or `..` past the root), dangles or loops is a
 *   UserError naming the link: zipping its target from the host would be wrong, and dropping it
 *   would break the app only once deployed.
 *
 * Directories are not entries (see writer.ts); they only tell us which paths exist.
 */
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { EnvironmentError, LbuildError, UserError } from '../../errors.js';
import { normalizeEntryName } from './entry-name.js';
import type { ZipEntryInput } from './writer.js';

export interface TarToZipOptions {
  /**
   * The top-level folder to remove from every name: `getArchive` of `/asset-output` yields
   * `asset-output/app.py`, which belongs at `app.py` in the zip. An entry outside it is an error.
   */
  stripPrefix?: string;
}

interface TarFile {
  data: Buffer;
  mode: number;
}

interface TarTree {
  files: Map<string, TarFile>;
  /** symlink path → target exactly as stored in the tar */
  symlinks: Map<string, string>;
  /** every directory that exists, explicitly or as the parent of something → its child names */
  children: Map<string, Set<string>>;
}

const MAX_LINK_HOPS = 40; // like Linux's MAXSYMLINKS

const linkHint =
  'Lambda gets a zip, not a file system: links are replaced by the files they point to, so the target must be inside the build output. Replace the link with a copy or a relative link to a file in the output.';

export async function* tarToZipEntries(
  tar: Readable,
  options: TarToZipOptions = {},
): AsyncGenerator<ZipEntryInput> {
  const tree = await readTree(tar, options.stripPrefix);
  for (const [name, file] of tree.files) yield { name, mode: file.mode, data: file.data };
  const resolver = new LinkResolver(tree);
  for (const link of tree.symlinks.keys()) yield* resolver.expand(link, link, link, []);
}

async function readTree(tar: Readable, stripPrefix: string | undefined): Promise<TarTree> {
  const prefix = stripPrefix === undefined ? undefined : normalizePrefix(stripPrefix);
  const files = new Map<string, TarFile>();
  const symlinks = new Map<string, string>();
  const hardLinks = new Map<string, string>();
  const directories = new Set<string>();
  const claim = (name: string) => {
    if (files.has(name) || symlinks.has(name) || hardLinks.has(name)) {
      throw new UserError(`the build output archive lists ${JSON.stringify(name)} twice`, {
        hint: 'This is unexpected from Docker; re-run the build.',
      });
    }
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
        continue;
      }
      switch (header.type) {
        case 'file':
        case 'contiguous-file':
          claim(name);
          files.set(name, { data: await readAll(entry), mode: header.mode ?? 0o644 });
          break;
        case 'directory':
          directories.add(name);
          entry.resume();
          break;
        case 'symlink':
          claim(name);
          symlinks.set(name, header.linkname ?? '');
          entry.resume();
          break;
        case 'link': {
          claim(name);
          const target = archivePath(header.linkname ?? '', prefix);
          if (target === undefined)
            throw new UserError(`hard link ${name} points at the archive root`, { hint: linkHint });
          hardLinks.set(name, target);
          entry.resume();
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

  // A hard link names a file stored earlier in the same archive; it is that file under a second name.
  for (const [name, target] of hardLinks) {
    const file = files.get(target);
    if (!file)
      throw new UserError(
        `hard link ${name} points to ${target}, which is not a file in the build output`,
        { hint: linkHint },
      );
    files.set(name, file);
  }

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
  for (const path of [...files.keys(), ...symlinks.keys(), ...directories]) addPath(path);
  for (const directory of directories)
    if (!children.has(directory)) children.set(directory, new Set());
  return { files, symlinks, children };
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

class LinkResolver {
  constructor(private readonly tree: TarTree) {}

  /** Yield the files that `path` (reached through `link`) stands for, named under `outName`. */
  *expand(
    outName: string,
    path: string,
    link: string,
    visiting: string[],
  ): Generator<ZipEntryInput> {
    const real = this.realpath(path, link);
    const file = this.tree.files.get(real);
    if (file) {
      yield { name: outName, mode: file.mode, data: file.data };
      return;
    }
    const children = this.tree.children.get(real);
    if (!children) {
      throw new UserError(
        `symlink ${link} -> ${this.tree.symlinks.get(link)} points to ${real || '.'}, which is not in the build output`,
        {
          hint: linkHint,
          details: { link },
        },
      );
    }
    if (visiting.includes(real)) {
      throw new UserError(
        `symlink ${link} -> ${this.tree.symlinks.get(link)} makes a loop (a directory that contains itself)`,
        {
          hint: linkHint,
          details: { link },
        },
      );
    }
    const inside = [...visiting, real];
    for (const child of [...children].sort()) {
      yield* this.expand(
        `${outName}/${child}`,
        real === '' ? child : `${real}/${child}`,
        link,
        inside,
      );
    }
  }

  /** Resolve every symlink along `path`, like realpath(3) but confined to the archive. */
  private realpath(path: string, link: string, hops = { count: 0 }): string {
    let current = '';
    for (const part of path.split('/')) {
      const next = current === '' ? part : `${current}/${part}`;
      const target = this.tree.symlinks.get(next);
      if (target === undefined) {
        current = next;
        continue;
      }
      if (++hops.count > MAX_LINK_HOPS) {
        throw new UserError(
          `symlink ${link} goes through more than ${MAX_LINK_HOPS} links (a loop?)`,
          { hint: linkHint, details: { link } },
        );
      }
      const joined = target.startsWith('/') ? undefined : joinInside(current, target);
      if (joined === undefined) {
        const via = next === link ? '' : ` (through ${next} -> ${target})`;
        throw new UserError(
          `symlink ${link} points outside the build output${via}: ${this.tree.symlinks.get(link)}`,
          {
            hint: linkHint,
            details: { link, target: this.tree.symlinks.get(link) },
          },
        );
      }
      current = this.realpath(joined, link, hops);
    }
    return current;
  }
}

/** `dir` + relative `target` with `.`/`..` applied; undefined if it climbs above the archive root. */
function joinInside(dir: string, target: string): string | undefined {
  const parts = dir === '' ? [] : dir.split('/');
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  return parts.join('/');
}
