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
import { UserError } from '../../errors.js';
import { linkHint, readTree, type TarTree } from './tar-tree.js';
import type { ZipEntryInput } from './writer.js';

export interface TarToZipOptions {
  /**
   * The top-level folder to remove from every name: `getArchive` of `/asset-output` yields
   * `asset-output/app.py`, which belongs at `app.py` in the zip. An entry outside it is an error.
   */
  stripPrefix?: string;
}

const MAX_LINK_HOPS = 40; // like Linux's MAXSYMLINKS

export async function* tarToZipEntries(
  tar: Readable,
  options: TarToZipOptions = {},
): AsyncGenerator<ZipEntryInput> {
  const tree = await readTree(tar, options.stripPrefix);
  for (const [name, file] of tree.files) yield { name, mode: file.mode, data: file.data };
  const resolver = new LinkResolver(tree);
  for (const link of tree.symlinks.keys()) yield* resolver.expand(link, link, link, []);
}

/** Symlinks → the files they stand for, confined to the archive. */
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
