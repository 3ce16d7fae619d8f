import type { Command } from 'commander';
import { auditPath } from '../../audit/index.js';
import { formatAuditReport } from '../../audit/report-text.js';
import { UserError } from '../../errors.js';
import { architectures, type Architecture } from '../../runtimes/catalog.js';
import {
  allowPreviewFlag,
  assertRuntimeAllowed,
  findRuntime,
  runtimeWarning,
} from '../../runtimes/lookup.js';
import { reporterFor } from '../reporter-for.js';
import { runCommand } from '../run-command.js';

interface AuditFlags {
  runtime: string;
  arch: string;
  allowPreview?: boolean;
  json?: boolean;
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description(
      'check a zip or folder against a Lambda runtime: CPU architecture, glibc symbol versions, libraries, macOS/Windows binaries, wheel tags',
    )
    .argument('<path>', 'deployment zip, code folder, or a single binary')
    .requiredOption('--runtime <runtime>', 'Lambda runtime, e.g. python3.11')
    .option('--arch <arch>', 'x86_64 or arm64', 'x86_64')
    .option(allowPreviewFlag, 'accept a preview runtime (python3.15, nodejs26.x)')
    .option('--json', 'print the report as JSON on stdout')
    .action(async (path: string, flags: AuditFlags) => {
      await runCommand(flags.json ?? false, async () => {
        const runtime = findRuntime(flags.runtime);
        assertRuntimeAllowed(runtime, flags.allowPreview ?? false);
        const warning = runtimeWarning(runtime);
        if (warning) reporterFor(flags).warn(warning);
        const report = await auditPath(path, {
          runtime,
          architecture: parseArchitecture(flags.arch),
        });
        // A failed audit is a result, not a crash: the full report still goes to stdout with --json.
        return { result: report, summary: formatAuditReport(report), exitCode: report.ok ? 0 : 1 };
      });
    });
}

function parseArchitecture(value: string): Architecture {
  if ((architectures as readonly string[]).includes(value)) return value as Architecture;
  throw new UserError(`unknown architecture "${value}"`, {
    hint: `Use one of: ${architectures.join(', ')}.`,
  });
}
