import type { Command } from 'commander';
import type { ResolvedProject } from '../../config/load.js';
import { allowPreviewFlag } from '../../runtimes/lookup.js';
import { loadProjectFor } from '../load-project.js';
import { UserError } from '../../errors.js';
import { formatBytes, formatMs } from '../../log.js';
import { packageImage, type ImagePackageReport } from '../../package/image-output/package-image.js';
import { packageProject } from '../../package/package-project.js';
import type { BuildOptions } from '../../package/options.js';
import type { PackageReport } from '../../package/report.js';
import type { SlimReport } from '../../package/slim/index.js';
import type { Architecture } from '../../runtimes/catalog.js';
import { reporterFor } from '../reporter-for.js';
import { timingsRequested, timingsTable } from '../timings-table.js';
import { runCommand, type CommandOutcome } from '../run-command.js';

interface PackageFlags {
  runtime?: string;
  handler?: string;
  arch?: Architecture;
  allowPreview?: boolean;
  out?: string;
  cache: boolean;
  audit: boolean;
  slim?: boolean;
  bundleLibraries?: boolean;
  layer?: boolean;
  format?: string;
  tag?: string;
  save?: string;
  json?: boolean;
  verbose?: boolean;
  timings?: boolean;
}

export function registerPackage(program: Command): void {
  program
    .command('package')
    .description(
      'build the deployment zip (or a layer zip, or a container image) inside a Lambda-compatible container',
    )
    .argument('[dir]', 'project folder', '.')
    .option(
      '--runtime <runtime>',
      'Lambda runtime (zero-config, or override lbuild.json), e.g. python3.11',
    )
    .option('--handler <handler>', 'handler, e.g. app.handler (zero-config)')
    .option('--arch <arch>', 'x86_64 or arm64')
    .option(
      allowPreviewFlag,
      'accept a preview runtime (python3.15, nodejs26.x): not for production',
    )
    .option('--out <file>', 'where to write the zip (default <dir>/.lbuild/dist/<name>.zip)')
    .option('--no-cache', 'reinstall dependencies even if the cache has them')
    .option('--no-audit', 'skip the ELF/glibc/Mach-O audit of the finished zip')
    .option(
      '--slim',
      'remove tests, caches, stubs and docs from the dependencies and strip debug info (package.slim)',
    )
    .option('--no-slim', 'do not slim, whatever package.slim says')
    .option(
      '--bundle-libraries',
      'copy shared libraries the dependencies need and Lambda lacks into lib/ (the default; package.bundleLibraries)',
    )
    .option('--no-bundle-libraries', 'do not bundle shared libraries into lib/')
    .option(
      '--layer',
      'write the dependencies as a separate layer zip (<out>-layer.zip) and a code-only zip',
    )
    .option('--format <format>', 'zip (default) or image: a Lambda container image')
    .option('--tag <tag>', 'image tag with --format image (default <name>:latest)')
    .option('--save <file>', 'with --format image, also write the image as a docker save tar')
    .option('--json', 'print the report as JSON on stdout')
    .option('-v, --verbose', 'show pip/npm output')
    .option('--timings', 'print where the time went, stage by stage (also LBUILD_DEBUG=timings)')
    .action(async (dir: string, flags: PackageFlags) => {
      await runCommand(flags.json ?? false, () => runPackage(dir, flags));
    });
}

async function runPackage(dir: string, flags: PackageFlags): Promise<CommandOutcome> {
  const reporter = reporterFor(flags);
  const project = loadProjectFor(
    dir,
    {
      runtime: flags.runtime,
      handler: flags.handler,
      architecture: flags.arch,
      allowPreview: flags.allowPreview,
    },
    reporter,
  );
  const common: BuildOptions = {
    noCache: !flags.cache,
    noAudit: !flags.audit,
    reporter,
    ...(flags.slim !== undefined ? { slim: flags.slim } : {}),
    ...(flags.bundleLibraries !== undefined ? { bundleLibraries: flags.bundleLibraries } : {}),
  };
  return outputFormat(flags, project) === 'image'
    ? packageAsImage(project, flags, common)
    : packageAsZip(project, flags, common);
}

async function packageAsImage(
  project: ResolvedProject,
  flags: PackageFlags,
  common: BuildOptions,
): Promise<CommandOutcome> {
  if (flags.layer || flags.out)
    throw new UserError('--layer and --out make zips; they do not go with --format image', {
      hint: 'Drop them, or use --save <file> to write the image as a tar.',
    });
  const report = await packageImage(project, {
    ...common,
    ...(flags.tag ? { tag: flags.tag } : {}),
    ...(flags.save ? { save: flags.save } : {}),
  });
  return { result: report, summary: withTimings(summarizeImage(report), report, flags) };
}

async function packageAsZip(
  project: ResolvedProject,
  flags: PackageFlags,
  common: BuildOptions,
): Promise<CommandOutcome> {
  if (flags.tag || flags.save)
    throw new UserError('--tag and --save are for container images', {
      hint: 'Add --format image (or set "package": { "format": "image" }).',
    });
  const report = await packageProject(project, {
    ...common,
    out: flags.out,
    layer: flags.layer ?? project.package.layer,
  });
  return { result: report, summary: withTimings(summarize(report), report, flags) };
}

function outputFormat(flags: PackageFlags, project: ResolvedProject): 'zip' | 'image' {
  const format = flags.format ?? project.package.format;
  if (format !== 'zip' && format !== 'image')
    throw new UserError(`--format ${format} is not a package format`, {
      hint: 'Use --format zip (the default) or --format image.',
    });
  return format;
}

function withTimings(
  summary: string,
  report: PackageReport | ImagePackageReport,
  flags: PackageFlags,
): string {
  return timingsRequested(flags.timings) ? `${summary}\n${timingsTable(report.timings)}` : summary;
}

function summarize(report: PackageReport): string {
  const lines = [
    `✔ ${report.zip}`,
    `  ${formatBytes(report.bytes)} zipped, ${formatBytes(report.unzippedBytes)} unzipped, ${report.files} files, ${report.runtime} ${report.architecture}`,
    `  sha256 ${report.sha256}`,
    ...(report.layer
      ? [
          `✔ ${report.layer.zip} (layer: ${report.layer.prefix} → /opt)`,
          `  ${formatBytes(report.layer.bytes)} zipped, ${formatBytes(report.layer.unzippedBytes)} unzipped, ${report.layer.files} files; function + layer ${formatBytes(report.totalUnzippedBytes)} of 250 MB`,
          `  sha256 ${report.layer.sha256}`,
        ]
      : []),
    `  incremental: ${report.reusedEntries.reused} of ${report.reusedEntries.entries} zip entries reused${report.audit ? `, ${report.audit.reusedFiles} files' audit facts reused` : ''}`,
    ...common(report),
  ];
  return lines.join('\n');
}

function summarizeImage(report: ImagePackageReport): string {
  return [
    `✔ ${report.image.tag} (${report.image.id.replace(/^sha256:/, '').slice(0, 12)})`,
    `  ${formatBytes(report.image.bytes)} image on ${report.image.baseImage}, ${report.files} files (${formatBytes(report.unzippedBytes)}) in /var/task, CMD ${JSON.stringify(report.image.cmd)}`,
    ...(report.saved
      ? [
          `  saved ${report.saved.path} (${formatBytes(report.saved.bytes)}): docker load -i ${report.saved.path}`,
        ]
      : []),
    ...common(report),
  ].join('\n');
}

function common(report: PackageReport | ImagePackageReport): string[] {
  return [
    `  dependencies: ${report.cache === 'none' ? 'none' : `cache ${report.cache}`}, total ${formatMs(report.durationMs)}`,
    ...(report.slim ? [slimLine(report.slim)] : []),
    ...libraryLines(report),
    ...(report.audit
      ? [
          `  audit: ${report.audit.ok ? 'passed' : `${report.audit.errors} error(s)`}${report.audit.requiredGlibc ? `, needs glibc ${report.audit.requiredGlibc}` : ''}`,
        ]
      : []),
    `  largest: ${report.largest
      .slice(0, 5)
      .map((c) => `${c.path} ${formatBytes(c.bytes)}`)
      .join(', ')}`,
  ];
}

/** Every bundled library, its size and what needs it: the user decides whether it belongs there. */
function libraryLines(report: PackageReport | ImagePackageReport): string[] {
  const libraries = report.bundledLibraries;
  if (!libraries || libraries.length === 0) return [];
  const where = 'layer' in report && report.layer ? '/opt/lib, in the layer' : '/var/task/lib';
  const total = libraries.reduce((sum, l) => sum + l.bytes, 0);
  const width = Math.max(...libraries.map((l) => l.file.length));
  return [
    `  bundled libraries: ${libraries.length} in lib/ (${where}), ${formatBytes(total)}`,
    ...libraries.map(
      (l) =>
        `    ${l.file.padEnd(width)}  ${formatBytes(l.bytes).padStart(9)}  needed by ${l.neededBy.join(', ') || '(the ldd closure of the dependencies)'}`,
    ),
  ];
}

function slimLine(slim: SlimReport): string {
  const skipped =
    slim.skipped.length > 0
      ? `; not stripped: ${slim.skipped
          .slice(0, 3)
          .map((s) => `${s.path} (${s.reason})`)
          .join(', ')}${slim.skipped.length > 3 ? ', …' : ''}`
      : '';
  return `  slim: ${formatBytes(slim.bytesSaved)} saved (${slim.removedFiles} files removed, ${slim.strippedFiles} stripped)${skipped}`;
}
