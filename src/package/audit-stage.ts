/** The audit stage, for every output: ELF machine, glibc symbol versions, foreign binaries. */
import type { ResolvedProject } from '../config/load.js';
import { AuditFailedError, findingLines, type AuditReport } from '../audit/index.js';
import { maxVersion } from '../audit/glibc-versions.js';
import type { AuditSummary } from './report.js';
import type { PackageRun } from './run-context.js';

/** Audit every output; with the official images a failed audit fails the build. */
export async function auditStage(
  project: ResolvedProject,
  run: PackageRun,
  auditOutputs: () => Promise<AuditReport[]>,
): Promise<AuditSummary> {
  const { warn } = run;
  const done = run.stage(
    'audit',
    `${project.runtime.name} ${project.architecture} (glibc ${project.runtime.glibc})`,
  );
  const results = await auditOutputs();
  done();
  const lines = results.flatMap((result) =>
    findingLines(result).map((line) => (results.length > 1 ? `${line} [${result.source}]` : line)),
  );
  if (run.imageSource === 'offline') {
    // The stand-ins compile against Debian's glibc 2.36: say what that means instead of failing.
    warn(
      `built with an offline stand-in (glibc 2.36, newer than ${project.runtime.name}'s ${project.runtime.glibc}): binaries may need symbols Lambda lacks; build release zips with the official images`,
    );
    for (const line of lines) warn(line);
  } else {
    for (const line of lines.filter((l) => !l.startsWith('audit error'))) warn(line);
    const failed = results.find((result) => !result.ok);
    if (failed) throw new AuditFailedError(failed);
  }
  const glibc = results.map((r) => r.requiredGlibc).filter((v): v is string => v !== undefined);
  return {
    ok: results.every((r) => r.ok),
    errors: results.reduce((sum, r) => sum + r.errors.length, 0),
    warnings: results.reduce((sum, r) => sum + r.warnings.length, 0),
    requiredGlibc: maxVersion(glibc),
    reusedFiles: results.reduce((sum, r) => sum + (r.reusedFiles ?? 0), 0),
  };
}
