/**
 * `lbuild package`: collect sources → install dependencies in the build container (or take them
 * from the cache) → slim them if asked → write the reproducible zip (or a code zip plus a layer
 * zip) → check Lambda's limits → audit → report. `--format image` shares everything up to the
 * zip stage (see image-output/package-image.ts).
 *
 * The stages live beside this file: prepare.ts (collect-stage.ts, dependency-stage.ts),
 * zip-output.ts, audit-stage.ts; run-context.ts carries what they share, report.ts what they say.
 */
import { dirname, join, resolve } from 'node:path';
import type { ResolvedProject } from '../config/load.js';
import { layerZipPath } from './layers/layer-layout.js';
import type { PackageOptions } from './options.js';
import { prepareContents } from './prepare.js';
import { buildFacts, type PackageReport } from './report.js';
import { startRun } from './run-context.js';
import { auditStage } from './audit-stage.js';
import { auditZips, layerReport, warnOverDirectUploadLimit, zipStage } from './zip-output.js';
import { DependencyCache } from './dependency-cache.js';
import { removeStalePartials } from '../stale-partials.js';

export function defaultZipPath(project: ResolvedProject): string {
  return join(project.root, '.lbuild', 'dist', `${project.name}.zip`);
}

export async function packageProject(
  project: ResolvedProject,
  options: PackageOptions = {},
): Promise<PackageReport> {
  const out = resolve(options.out ?? defaultZipPath(project));
  const layerOut = options.layer ? layerZipPath(out) : undefined;
  // A build killed mid-way (kill -9, a cancelled CI job) left a half-written zip or cache entry.
  await Promise.all([
    removeStalePartials(dirname(out)),
    removeStalePartials(DependencyCache.forProject(project.root).dir),
  ]);
  const run = startRun(project, options);
  const prepared = await prepareContents(project, run, [out, ...(layerOut ? [layerOut] : [])]);
  const { zip, layerZip, largest, totalUnzippedBytes } = await zipStage(
    project,
    run,
    prepared,
    out,
    layerOut,
  );
  const audit = options.noAudit
    ? undefined
    : await auditStage(project, run, () => auditZips([zip, layerZip], project, !options.noCache));
  warnOverDirectUploadLimit(run, [zip, layerZip]);

  return {
    zip: zip.path,
    sha256: zip.sha256,
    bytes: zip.bytes,
    unzippedBytes: zip.unzippedBytes,
    files: zip.files,
    ...buildFacts(project, run, prepared, audit),
    largest,
    layer: layerZip && layerReport(layerZip, project),
    totalUnzippedBytes,
    reusedEntries: {
      reused: zip.reusedEntries + (layerZip?.reusedEntries ?? 0),
      entries: zip.files + (layerZip?.files ?? 0),
    },
  };
}
