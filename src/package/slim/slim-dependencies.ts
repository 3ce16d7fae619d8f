/**
 * Slim as a cached step after the install: unslimmed tree (cached under the install key) →
 * removal on the host → strip in the build container → slimmed tree, cached under its own key
 * with the report beside it. Keeping both trees means changing slim settings never reinstalls,
 * and turning slim off again is a cache hit too.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { onCleanup } from '../../docker/cleanup.js';
import type { Reporter } from '../../log.js';
import type { Architecture } from '../../runtimes/catalog.js';
import type { DependencyCache } from '../dependency-cache.js';
import { slimCacheKey, type ResolvedSlim } from './options.js';
import { filterDependencyTar, type SkippedObject } from './remove-files.js';
import { stripScriptsSha256, stripSharedObjects } from './strip-objects.js';

export interface SlimReport {
  /** Files the removal rules took out, and their bytes. */
  removedFiles: number;
  removedBytes: number;
  /** Shared objects whose debug info was stripped, and the bytes that saved. */
  strippedFiles: number;
  strippedBytes: number;
  /** Shared objects left as they were, and why. */
  skipped: SkippedObject[];
  /** removedBytes + strippedBytes: how much smaller the unzipped dependencies are. */
  bytesSaved: number;
  cache: 'hit' | 'miss';
}

export function slimTreeKey(installKey: string, slim: ResolvedSlim): string {
  return slimCacheKey(installKey, slim, stripScriptsSha256());
}

const reportPath = (cache: DependencyCache, key: string) =>
  cache.pathFor(key).replace(/\.tar$/, '.slim.json');

/** The slimmed tree and its report, if both are cached. */
export async function cachedSlimTree(
  cache: DependencyCache,
  key: string,
): Promise<{ tar: string; report: SlimReport } | undefined> {
  if (!cache.has(key) || !existsSync(reportPath(cache, key))) return undefined;
  const report = JSON.parse(await readFile(reportPath(cache, key), 'utf8')) as Omit<
    SlimReport,
    'cache'
  >;
  return { tar: cache.pathFor(key), report: { ...report, cache: 'hit' } };
}

export interface SlimRequest {
  docker: Docker;
  /** The project's name, for the build container's name (lbuild-<project>-build-...). */
  project: string;
  /** The build image: its binutils and interpreter strip and check the objects. */
  image: string;
  architecture: Architecture;
  slim: ResolvedSlim;
  rawTar: string;
  cache: DependencyCache;
  key: string;
  reporter: Reporter;
}

export async function slimDependencies(
  request: SlimRequest,
): Promise<{ tar: string; report: SlimReport }> {
  const { cache, key } = request;
  await mkdir(cache.dir, { recursive: true });
  const filtered = `${cache.pathFor(key)}.filtered-${process.pid}`;
  const stripped = `${cache.pathFor(key)}.stripped-${process.pid}`;
  const removeTemporaries = async () => {
    await rm(filtered, { force: true });
    await rm(stripped, { force: true });
  };
  // Ctrl-C exits from the signal handler, past any finally: the hook is what removes them then.
  const unregister = onCleanup(removeTemporaries);
  try {
    const removal = await filterDependencyTar(request.rawTar, filtered, request.slim);
    let tree = filtered;
    let strip: Awaited<ReturnType<typeof stripSharedObjects>> = { stripped: [], skipped: [] };
    if (removal.candidates.length > 0) {
      request.reporter.info(
        `  slim: stripping ${removal.candidates.length} shared object(s) in ${request.image}`,
      );
      strip = await stripSharedObjects({
        docker: request.docker,
        project: request.project,
        image: request.image,
        architecture: request.architecture,
        language: request.slim.language,
        tarPath: filtered,
        candidates: removal.candidates,
        outPath: stripped,
        reporter: request.reporter,
      });
      tree = stripped;
    }
    const strippedBytes = strip.stripped.reduce((sum, s) => sum + (s.before - s.after), 0);
    const report: Omit<SlimReport, 'cache'> = {
      removedFiles: removal.removedFiles,
      removedBytes: removal.removedBytes,
      strippedFiles: strip.stripped.length,
      strippedBytes,
      skipped: [...removal.skipped, ...strip.skipped].sort((a, b) =>
        a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
      ),
      bytesSaved: removal.removedBytes + strippedBytes,
    };
    // The report lands first: a tree in the cache always has one (cachedSlimTree checks both).
    await writeFile(reportPath(cache, key), `${JSON.stringify(report, null, 2)}\n`);
    await rename(tree, cache.pathFor(key));
    return { tar: cache.pathFor(key), report: { ...report, cache: 'miss' } };
  } finally {
    unregister();
    await removeTemporaries();
  }
}
