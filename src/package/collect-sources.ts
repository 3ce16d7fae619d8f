/**
 * Walk the project and list the files that belong in the zip, in a stable order. Symlinks are
 * followed only while they stay inside the project: one that points outside is refused, because it
 * would copy files from elsewhere on the machine (or fail on another machine) without anyone noticing.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { UserError } from '../errors.js';
import type { SourceFilter } from './ignore-rules.js';

export interface SourceFile {
  /** Path inside the zip, posix separators. */
  name: string;
  absolutePath: string;
  size: number;
  executable: boolean;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}

export async function collectSources(root: string, filter: SourceFilter): Promise<SourceFile[]> {
  const realRoot = await realpath(root);
  const files: SourceFile[] = [];

  // `ancestors` holds the real paths above this folder: a link back into one of them is a loop.
  const walk = async (
    dir: string,
    prefix: string,
    ancestors: ReadonlySet<string>,
  ): Promise<void> => {
    const realDir = await realpath(dir);
    if (ancestors.has(realDir)) return;
    const inside = new Set(ancestors).add(realDir);
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const absolutePath = join(dir, name);
      const relativeName = prefix ? `${prefix}/${name}` : name;
      let info = await lstat(absolutePath);
      if (info.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(absolutePath);
        } catch {
          throw new UserError(`symlink ${relativeName} points to a path that does not exist`, {
            hint: 'Remove the link or exclude it in .lbuildignore.',
          });
        }
        if (!isInside(realRoot, target)) {
          throw new UserError(`symlink ${relativeName} points outside the project (${target})`, {
            hint: 'Copy the target into the project, or exclude the link in .lbuildignore / package.exclude.',
          });
        }
        info = await stat(absolutePath);
      }
      if (info.isDirectory()) {
        if (filter.excludes(`${relativeName}/`) && !filter.mayHoldIncluded(relativeName)) continue;
        await walk(absolutePath, relativeName, inside);
      } else if (info.isFile()) {
        if (filter.excludes(relativeName)) continue;
        files.push({
          name: relativeName,
          absolutePath,
          size: info.size,
          executable: (info.mode & 0o111) !== 0,
        });
      }
      // Sockets, FIFOs and devices have no place in a zip: skip them.
    }
  };

  await walk(root, '', new Set());
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
