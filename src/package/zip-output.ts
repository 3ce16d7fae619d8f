/**
 * The zip stage: one reproducible zip with everything, or (--layer) a code zip plus a layer zip with
 * the dependencies; both checked against Lambda's size limits, then audited. Both steps are
 * incremental: compressed entries and audit facts are kept by content hash under `.lbuild/cache/`
 * (zip/entry-cache.ts, audit/facts-cache.ts), so a code-only change deflates and reads only the
 * files that changed, and the zip stays byte-identical to a clean build's.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ResolvedProject } from '../config/load.js';
import { onCleanup } from '../docker/cleanup.js';
import { AuditFactsCache, auditListedZip, type AuditReport } from '../audit/index.js';
import { lbuildVersion } from '../version.js';
import { projectCacheDir } from './dependency-cache.js';
import {
  checkUnzippedLimit,
  directUploadLimitBytes,
  largestContributors,
  type Contributor,
} from './size-report.js';
import {
  defaultZipLevel,
  recordEntryUsage,
  writeReproducibleZip,
  ZipEntryCache,
  type ZipResult,
} from './zip/index.js';
import { layerPrefix, toLayerEntries } from './layers/layer-layout.js';
import { gatherEntries, mergeEntries, type SizedEntry } from './gather-entries.js';
import type { PreparedContents } from './prepare.js';
import type { LayerReport } from './report.js';
import type { PackageRun } from './run-context.js';

export interface ZipOutputs {
  zip: ZipResult;
  layerZip: ZipResult | undefined;
  largest: Contributor[];
  /** Function + layer unzipped: what Lambda's 250 MB limit counts. */
  totalUnzippedBytes: number;
}

/** `layerOut`: where the layer zip goes with --layer, else undefined. */
export async function zipStage(
  project: ResolvedProject,
  run: PackageRun,
  prepared: PreparedContents,
  out: string,
  layerOut: string | undefined,
): Promise<ZipOutputs> {
  const { warn } = run;
  const done = run.stage('zip', layerOut ? `${out} + ${layerOut}` : out);
  const { dependencies, sources } = await run.clock.time('entries', () =>
    gatherEntries(prepared.sourceFiles, prepared.depsTar),
  );
  if (layerOut && dependencies.length === 0)
    warn('--layer: there are no installed dependencies, so no layer zip was written');
  const layered = layerOut !== undefined && dependencies.length > 0;
  const functionEntries = layered ? sources : mergeEntries(dependencies, sources, warn);
  const libraries = new Set(prepared.libraries?.libraries.map((l) => l.file));
  const layerEntries = layered
    ? toLayerEntries(dependencies, project.runtime.language, libraries)
    : [];
  const total = [...functionEntries, ...layerEntries].reduce((sum, e) => sum + e.size, 0);
  const largest = largestContributors([...dependencies, ...sources]);
  checkUnzippedLimit(total, largest);
  const cache = new ZipEntryCache(projectCacheDir(project.root, 'zip-entries'), {
    reuse: !run.options.noCache,
  });
  const zip = await run.clock.time('write', () => writeZip(functionEntries, out, cache));
  const layerZip = layered
    ? await run.clock.time('write layer', () => writeZip(layerEntries, layerOut, cache))
    : undefined;
  done();
  return { zip, layerZip, largest, totalUnzippedBytes: total };
}

async function writeZip(
  entries: SizedEntry[],
  path: string,
  cache: ZipEntryCache,
): Promise<ZipResult> {
  await mkdir(dirname(path), { recursive: true });
  // If we are interrupted mid-write the zip writer's temp file is the only trace; make sure it goes.
  const removeHook = onCleanup(async () => rm(`${path}.tmp-${process.pid}`, { force: true }));
  const zip = await writeReproducibleZip(entries, path, { cache }).finally(removeHook);
  await recordEntryUsage(cache, path, zip.entries, defaultZipLevel);
  return zip;
}

/** `reuse` false (--no-cache): read every file, and keep what was read for the next build. */
export async function auditZips(
  zips: Array<ZipResult | undefined>,
  project: ResolvedProject,
  reuse: boolean,
): Promise<AuditReport[]> {
  const reports: AuditReport[] = [];
  for (const zip of zips) {
    if (!zip) continue;
    const cache = await AuditFactsCache.load(factsFile(project, zip.path), lbuildVersion(), reuse);
    const options = { runtime: project.runtime, architecture: project.architecture };
    reports.push(await auditListedZip(zip, options, cache));
    await cache.save();
  }
  return reports;
}

/** One facts file per output path: each holds the facts of that output's last build. */
function factsFile(project: ResolvedProject, zipPath: string): string {
  const name = createHash('sha256').update(resolve(zipPath)).digest('hex').slice(0, 32);
  return join(projectCacheDir(project.root, 'audit-facts'), `${name}.json`);
}

export function warnOverDirectUploadLimit(
  run: PackageRun,
  zips: Array<ZipResult | undefined>,
): void {
  for (const written of zips) {
    if (written && written.bytes > directUploadLimitBytes) {
      run.warn(
        `${written.path} is ${written.bytes} bytes, over the 50 MB direct-upload limit: upload it through S3 (aws lambda update-function-code --s3-bucket ...)`,
      );
    }
  }
}

export function layerReport(layerZip: ZipResult, project: ResolvedProject): LayerReport {
  return {
    zip: layerZip.path,
    sha256: layerZip.sha256,
    bytes: layerZip.bytes,
    unzippedBytes: layerZip.unzippedBytes,
    files: layerZip.files,
    prefix: layerPrefix(project.runtime.language),
  };
}
