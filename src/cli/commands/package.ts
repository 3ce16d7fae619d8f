import type { Command } from 'commander';
import { loadProject } from '../../config/load.js';
import { formatBytes, formatMs } from '../../log.js';
import { packageProject, type PackageReport } from '../../package/package-project.js';
import type { Architecture } from '../../runtimes/catalog.js';
import { reporterFor } from '../reporter-for.js';
import { runCommand } from '../run-command.js';

interface PackageFlags {
  runtime?: string;
  handler?: string;
  arch?: Architecture;
  out?: string;
  cache: boolean;
  audit: boolean;
  json?: boolean;
  verbose?: boolean;
}

export function registerPackage(program: Command): void {
  program
    .command('package')
    .description('build the deployment zip inside a Lambda-compatible container')
    .argument('[dir]', 'project folder', '.')
    .option('--runtime <runtime>', 'Lambda runtime (zero-config, or override lbuild.json), e.g. python3.11')
    .option('--handler <handler>', 'handler, e.g. app.handler (zero-config)')
    .option('--arch <arch>', 'x86_64 or arm64')
    .option('--out <file>', 'where to write the zip (default <dir>/.lbuild/dist/<name>.zip)')
    .option('--no-cache', 'reinstall dependencies even if the cache has them')
    .option('--no-audit', 'skip the ELF/glibc/Mach-O audit of the finished zip')
    .option('--json', 'print the report as JSON on stdout')
    .option('-v, --verbose', 'show pip/npm output')
    .action(async (dir: string, flags: PackageFlags) => {
      await runCommand(flags.json ?? false, async () => {
        const reporter = reporterFor(flags);
        const project = loadProject(dir, { runtime: flags.runtime, handler: flags.handler, architecture: flags.arch });
        const report = await packageProject(project, { out: flags.out, noCache: !flags.cache, noAudit: !flags.audit, reporter });
        return { result: report, summary: summarize(report) };
      });
    });
}

function summarize(report: PackageReport): string {
  const lines = [
    `✔ ${report.zip}`,
    `  ${formatBytes(report.bytes)} zipped, ${formatBytes(report.unzippedBytes)} unzipped, ${report.files} files, ${report.runtime} ${report.architecture}`,
    `  sha256 ${report.sha256}`,
    `  dependencies: ${report.cache === 'none' ? 'none' : `cache ${report.cache}`}, total ${formatMs(report.durationMs)}`,
    ...(report.audit ? [`  audit: ${report.audit.ok ? 'passed' : `${report.audit.errors} error(s)`}${report.audit.requiredGlibc ? `, needs glibc ${report.audit.requiredGlibc}` : ''}`] : []),
    `  largest: ${report.largest.slice(0, 5).map((c) => `${c.path} ${formatBytes(c.bytes)}`).join(', ')}`,
  ];
  return lines.join('\n');
}
