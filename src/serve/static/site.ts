/**
 * The site a static handler serves, and how a key (a path below its root) is found on disk.
 */
import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.js';
import type { Reporter } from '../../log.js';
import { BodyCache } from './body-cache.js';
import { compileCacheControl } from './cache-control.js';
import { FileMetaTable } from './file-meta.js';
import type { StaticHandlerOptions } from './options.js';
import { fileForKey, resolveTarget } from './resolve-path.js';

/** What a key is on disk right now. */
export type Lookup =
  | { kind: 'file'; key: string; file: string; stats: Stats }
  | { kind: 'directory' }
  | { kind: 'missing' }
  | { kind: 'forbidden' };

export interface Site {
  root: string;
  spa: boolean;
  errorDocumentKey: string | undefined;
  meta: FileMetaTable;
  bodies: BodyCache;
  reporter: Reporter;
}

export function createSite(options: StaticHandlerOptions, reporter: Reporter): Site {
  return {
    root: path.resolve(options.root),
    spa: options.spa ?? true,
    errorDocumentKey:
      options.errorDocument === undefined ? undefined : errorDocumentKey(options.errorDocument),
    meta: new FileMetaTable(compileCacheControl(options.cacheControl), options.compress ?? true),
    bodies: new BodyCache(),
    reporter,
  };
}

/**
 * Synchronous on purpose: stat of a local file takes a few microseconds, less than the thread-pool
 * round trip of fs.promises.stat, which measured 15-40% slower on small files. Vite's static serving
 * (sirv in dev mode) stats synchronously too.
 */
export function lookup(site: Site, key: string): Lookup {
  const file = fileForKey(site.root, key);
  if (!file) return { kind: 'missing' };
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (!stats) return { kind: 'missing' };
    if (stats.isFile()) return { kind: 'file', key, file, stats };
    // FIFOs, sockets and devices are never served: reading a FIFO would hang the request.
    return stats.isDirectory() ? { kind: 'directory' } : { kind: 'missing' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG')
      return { kind: 'missing' };
    if (code === 'EACCES' || code === 'EPERM') return { kind: 'forbidden' };
    throw error;
  }
}

/** The error document option as a key below the root; anything else is the user's mistake. */
function errorDocumentKey(errorDocument: string): string {
  const target = resolveTarget(`/${errorDocument.replace(/^\/+/, '')}`);
  if (target.kind !== 'key' || target.directory || target.key === '') {
    throw new UserError(
      `errorDocument "${errorDocument}" is not a file path inside the site root`,
      {
        hint: 'Use a path relative to the root, e.g. "404.html" (no "..", no dotfiles).',
      },
    );
  }
  return target.key;
}
