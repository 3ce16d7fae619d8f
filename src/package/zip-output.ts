/**
 * The zip stage: one reproducible zip with everything, or (--layer) a code zip plus a layer zip with
 * the dependencies; both checked against Lambda's size limits, then audited.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ResolvedProject } from '../config/load.js';
import { onCleanup } from '../docker/cleanup.js';
import { auditZip, type AuditReport } from '../audit/index.js';
import {
  checkUnzippedLimit,
  directUploadLimitBytes,
  largestContributors,
  type Contributor,
} from './size-report.js';
import { writeReproducibleZip, type ZipResult } from './zip/index.js';
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
  const done = run.reporter.stage('zip', layerOut ? `${out} + ${layerOut}` : out);
  const { dependencies, sources } = await gatherEntries(prepared.sourceFiles, prepared.depsTar);
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
  const zip = await writeZip(functionEntries, out);
  const layerZip = layered ? await writeZip(layerEntries, layerOut) : undefined;
  run.stages.zip = done();
  return { zip, layerZip, largest, totalUnzippedBytes: total };
}

async function writeZip(entries: SizedEntry[], path: string): Promise<ZipResult> {
  await mkdir(dirname(path), { recursive: true });
  // If we are interrupted mid-write the zip writer's temp file is the only trace; make sure it goes.
  const removeHook = onCleanup(async () => rm(`${path}.tmp-${process.pid}`, { force: true }));
  return writeReproducibleZip(entries, path).finally(removeHook);
}

export async function auditZips(
  zips: Array<ZipResult | undefined>,
  project: ResolvedProject,
): Promise<AuditReport[]> {
  const reports: AuditReport[] = [];
  for (const zip of zips)
    if (zip)
      reports.push(
        await auditZip(zip.path, { runtime: project.runtime, architecture: project.architecture }),
      );
  return reports;
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
