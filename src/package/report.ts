/** The report of `lbuild package` (printed with --json): its types, and the facts every output shares. */
import type { ResolvedProject } from '../config/load.js';
import type { BundledLibrary } from './libraries/library-report.js';
import type { Contributor } from './size-report.js';
import type { SlimReport } from './slim/index.js';
import type { PreparedContents } from './prepare.js';
import type { PackageRun } from './run-context.js';
import type { Timings } from './timings.js';

export type CacheStatus = 'hit' | 'miss' | 'none';

export interface AuditSummary {
  ok: boolean;
  errors: number;
  warnings: number;
  requiredGlibc: string | undefined;
  /** Files whose facts came from the facts cache (their content was audited before), unread. */
  reusedFiles: number;
}

export interface LayerReport {
  zip: string;
  sha256: string;
  bytes: number;
  unzippedBytes: number;
  files: number;
  /** `python/` or `nodejs/`: Lambda mounts it at /opt/python or /opt/nodejs/node_modules. */
  prefix: string;
}

/** What every build reports, whatever its output (zip, zip + layer, or container image). */
export interface BuildFacts {
  files: number;
  cache: CacheStatus;
  cacheKey: string | undefined;
  audit: AuditSummary | undefined;
  durationMs: number;
  /** Milliseconds of every stage and step by name (nested ones too); `timings` has the breakdown. */
  stages: Record<string, number>;
  /** Where the time went, stage by stage (lbuild package --timings prints it as a table). */
  timings: Timings;
  largest: Contributor[];
  runtime: string;
  architecture: string;
  buildImage: string | undefined;
  dependencyFile: string | undefined;
  warnings: string[];
  slim: SlimReport | undefined;
  /**
   * Shared libraries copied into lib/ because the dependencies need them and Lambda's OS lacks
   * them ([] when none were needed); undefined when bundling is off or there are no dependencies.
   */
  bundledLibraries: BundledLibrary[] | undefined;
}

export interface PackageReport extends BuildFacts {
  zip: string;
  sha256: string;
  bytes: number;
  /** Unzipped bytes of the function zip alone (see totalUnzippedBytes with a layer). */
  unzippedBytes: number;
  layer: LayerReport | undefined;
  /** Function + layer unzipped: what Lambda's 250 MB limit counts. */
  totalUnzippedBytes: number;
  /** Entries (function + layer zip) whose compressed bytes came from the entry cache, of `entries`. */
  reusedEntries: { reused: number; entries: number };
}

/** What every package report says about the build, whatever it wrote (zip or image). */
export function buildFacts(
  project: ResolvedProject,
  run: PackageRun,
  prepared: PreparedContents,
  audit: AuditSummary | undefined,
): Omit<BuildFacts, 'files' | 'largest'> {
  const timings = run.clock.summary();
  return {
    cache: prepared.cache,
    cacheKey: prepared.cacheKey,
    audit,
    durationMs: timings.totalMs,
    stages: run.clock.flat(),
    timings,
    runtime: project.runtime.name,
    architecture: project.architecture,
    buildImage: prepared.buildImage,
    dependencyFile: project.package.dependencies?.path,
    warnings: run.warnings,
    slim: prepared.slim,
    bundledLibraries: prepared.libraries?.libraries,
  };
}
