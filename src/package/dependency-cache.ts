/**
 * The installed dependencies, cached as the tar the build container produced. The key is everything
 * that determines that tar: the dependency inputs' contents, the package sources pip reads (wheel
 * folders, file: indexes, pip.conf), the install options, the system packages installed first,
 * whether (and by which rules) shared libraries were bundled, the runtime, the architecture and the
 * build image's id. A code-only change leaves the key alone, so it never starts a container.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { isOutOfSpace, outOfSpaceError } from '../disk-space.js';

/** Bump when the layout of cached tars changes. */
const cacheFormat = 2;

export interface CacheKeyParts {
  inputsSha256: string;
  /** Package sources from outside the project and the PIP_* values that name them. */
  packageSourcesSha256: string;
  dependencyKind: string;
  dependencyPath: string;
  installArgs: string[];
  /** The package manager in use and the packages it installs; undefined when none are named. */
  systemPackages: { manager: string; packages: string[]; scriptSha256: string } | undefined;
  /** false when bundling is off; else what decides the bundled set (scripts, never-bundled list). */
  bundleLibraries: false | { scriptsSha256: string; neverBundled: string[] };
  runtime: string;
  architecture: string;
  buildImageId: string;
}

export function cacheKey(parts: CacheKeyParts): string {
  return createHash('sha256')
    .update(JSON.stringify({ format: cacheFormat, ...parts }))
    .digest('hex');
}

/**
 * A project's build caches, side by side under `.lbuild/cache/`: the installed trees (deps), the
 * compressed zip entries (zip/entry-cache.ts) and the audit facts (audit/facts-cache.ts).
 */
export function projectCacheDir(
  root: string,
  kind: 'deps' | 'zip-entries' | 'audit-facts',
): string {
  return join(root, '.lbuild', 'cache', kind);
}

export class DependencyCache {
  constructor(readonly dir: string) {}

  static forProject(root: string): DependencyCache {
    return new DependencyCache(projectCacheDir(root, 'deps'));
  }

  pathFor(key: string): string {
    return join(this.dir, `${key}.tar`);
  }

  has(key: string): boolean {
    return existsSync(this.pathFor(key));
  }

  /** Write atomically: a crash mid-way must never leave a truncated tar that later counts as a hit. */
  async store(key: string, tar: Readable): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const final = this.pathFor(key);
    const partial = `${final}.partial-${process.pid}`;
    let bytesWritten = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytesWritten += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(tar, counter, createWriteStream(partial));
      await rename(partial, final);
    } catch (error) {
      await rm(partial, { force: true });
      if (isOutOfSpace(error))
        throw outOfSpaceError(error, {
          path: final,
          what: 'the installed dependencies (the dependency cache)',
          bytesWritten,
        });
      throw error;
    }
    return final;
  }
}
