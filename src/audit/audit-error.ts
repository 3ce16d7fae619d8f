/** A failed audit as an error value, for callers (such as `lbuild package`) that stop on it. */
import { UserError } from '../errors.js';
import type { AuditReport } from './audit.js';

export class AuditFailedError extends UserError {
  override readonly code = 'audit-failed';
  constructor(readonly report: AuditReport) {
    const first = report.errors[0];
    super(
      `the package fails the ${report.runtime} ${report.architecture} audit: ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}${
        first ? ` (first: ${first.file}: ${first.message})` : ''
      }`,
      { hint: first?.fix, details: { errors: report.errors, warnings: report.warnings } },
    );
  }
}

/** Throws AuditFailedError when the report has errors; returns it otherwise. */
export function assertAuditPassed(report: AuditReport): AuditReport {
  if (!report.ok) throw new AuditFailedError(report);
  return report;
}
