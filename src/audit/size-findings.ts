/** Lambda's size limits for the package as a whole. */
import { formatBytes } from '../log.js';
import {
  directUploadLimitBytes,
  largestContributors,
  unzippedLimitBytes,
} from '../package/size-report.js';
import type { AuditFacts } from './audit-facts.js';
import { wholePackage, type Finding } from './finding.js';

/** Lambda's two size limits (the same numbers `lbuild package` enforces). */
export function judgeSize(facts: AuditFacts, errors: Finding[], warnings: Finding[]): void {
  const unzipped = facts.files.reduce((sum, f) => sum + f.size, 0);
  if (unzipped > unzippedLimitBytes) {
    const top = largestContributors(facts.files, 5)
      .map((c) => `${c.path} (${formatBytes(c.bytes)})`)
      .join(', ');
    errors.push({
      file: wholePackage,
      kind: 'size-limit',
      message: `unzips to ${formatBytes(unzipped)}, over Lambda's 250 MB limit (${unzippedLimitBytes} bytes, function and layers together); biggest: ${top}`,
      fix: 'Drop unused dependencies, move large ones to a layer or a container image, or exclude test/data folders with package.exclude.',
    });
  }
  if (facts.zipBytes !== undefined && facts.zipBytes > directUploadLimitBytes) {
    warnings.push({
      file: wholePackage,
      kind: 'size-limit',
      message: `the zip is ${formatBytes(facts.zipBytes)}, over the 50 MB limit for direct upload (${directUploadLimitBytes} bytes)`,
      fix: 'Upload it through S3 (aws lambda update-function-code --s3-bucket ...), or make it smaller.',
    });
  }
}
