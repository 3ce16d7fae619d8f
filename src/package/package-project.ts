/**
 * `lbuild package`: collect sources → install dependencies in the build container (or take them
 * from the cache) → slim them if asked → write the reproducible zip (or a code zip plus a layer
 * zip) → check Lambda's limits → audit → report. `--format image` shares everything up to the
 * zip stage (see image-output/package-image.ts).
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type Docker from 'dockerode';
import { connectEngine } from '../docker/engine.js';
import { onCleanup } from '../docker/cleanup.js';
import { ensureBuildImage } from '../images/build-image.js';
import type { ResolvedProject } from '../config/load.js';
import { silentReporter, type Reporter } from '../log.js';
import { imageSourceFromEnv, type ImageSource } from '../runtimes/images.js';
import { sourceFilterFor } from './ignore-rules.js';
import { collectSources, type SourceFile } from './collect-sources.js';
import { dependencyInputs } from './dependency-inputs.js';
import { hashInputs, readTarInputs } from './tar-files.js';
import { DependencyCache, cacheKey } from './dependency-cache.js';
import { installDependencies } from './install-dependencies.js';
import {
  checkInstallScripts,
  hasInstallScriptReport,
  readInstallScriptReport,
} from './install-scripts.js';
import {
  checkUnzippedLimit,
  directUploadLimitBytes,
  largestContributors,
  type Contributor,
} from './size-report.js';
import {
  tarToZipEntries,
  writeReproducibleZip,
  type ZipEntryInput,
  type ZipResult,
} from './zip/index.js';
import { AuditFailedError, auditZip, findingLines, type AuditReport } from '../audit/index.js';
import { maxVersion } from '../audit/glibc-versions.js';
import {
  cachedSlimTree,
  resolveSlim,
  slimDependencies,
  slimTreeKey,
  type SlimReport,
} from './slim/index.js';
import { layerPrefix, layerZipPath, toLayerEntries } from './layers/layer-layout.js';

export interface PackageOptions {
  out?: string;
  noCache?: boolean;
  reporter?: Reporter;
  imageSource?: ImageSource;
  /** Reuse a connected engine (tests, serve); otherwise one is connected when needed. */
  docker?: Docker;
  /** Skip the ELF/glibc/Mach-O audit of the finished zip (lbuild package --no-audit). */
  noAudit?: boolean;
  /** Override package.slim: true slims (with package.slim's lists if set), false does not. */
  slim?: boolean;
  /**
   * The dependencies go into a separate layer zip. Not read from package.layer here (the CLI does
   * that): serve and invoke run the one zip they ask for and must keep getting a whole one.
   */
  layer?: boolean;
}

export type CacheStatus = 'hit' | 'miss' | 'none';

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
  stages: Record<string, number>;
  largest: Contributor[];
  runtime: string;
  architecture: string;
  buildImage: string | undefined;
  dependencyFile: string | undefined;
  warnings: string[];
  slim: SlimReport | undefined;
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
}

export function defaultZipPath(project: ResolvedProject): string {
  return join(project.root, '.lbuild', 'dist', `${project.name}.zip`);
}

export async function packageProject(
  project: ResolvedProject,
  options: PackageOptions = {},
): Promise<PackageReport> {
  const out = resolve(options.out ?? defaultZipPath(project));
  const layerOut = options.layer ? layerZipPath(out) : undefined;
  const prepared = await prepareContents(project, options, [out, ...(layerOut ? [layerOut] : [])]);
  const { stages, warn, reporter } = prepared;

  const done = reporter.stage('zip', layerOut ? `${out} + ${layerOut}` : out);
  const { dependencies, sources } = await gatherEntries(prepared.sourceFiles, prepared.depsTar);
  if (layerOut && dependencies.length === 0)
    warn('--layer: there are no installed dependencies, so no layer zip was written');
  const layered = layerOut !== undefined && dependencies.length > 0;
  const functionEntries = layered ? sources : mergeEntries(dependencies, sources, warn);
  const layerEntries = layered ? toLayerEntries(dependencies, project.runtime.language) : [];
  const total = [...functionEntries, ...layerEntries].reduce((sum, e) => sum + e.size, 0);
  const largest = largestContributors([...dependencies, ...sources]);
  checkUnzippedLimit(total, largest);
  const zip = await writeZip(functionEntries, out);
  const layerZip = layered ? await writeZip(layerEntries, layerOut) : undefined;
  stages.zip = done();

  const audit = options.noAudit
    ? undefined
    : await auditStage(project, prepared, () => auditZips([zip, layerZip], project));
  for (const written of [zip, layerZip]) {
    if (written && written.bytes > directUploadLimitBytes) {
      warn(
        `${written.path} is ${written.bytes} bytes, over the 50 MB direct-upload limit: upload it through S3 (aws lambda update-function-code --s3-bucket ...)`,
      );
    }
  }

  return {
    zip: zip.path,
    sha256: zip.sha256,
    bytes: zip.bytes,
    unzippedBytes: zip.unzippedBytes,
    files: zip.files,
    ...buildFacts(project, prepared, audit),
    largest,
    layer: layerZip && {
      zip: layerZip.path,
      sha256: layerZip.sha256,
      bytes: layerZip.bytes,
      unzippedBytes: layerZip.unzippedBytes,
      files: layerZip.files,
      prefix: layerPrefix(project.runtime.language),
    },
    totalUnzippedBytes: total,
  };
}

/** Everything the outputs (zip, layer, image) are made from: the sources and the installed tree. */
export interface PreparedContents {
  started: number;
  reporter: Reporter;
  warnings: string[];
  warn: (message: string) => void;
  stages: Record<string, number>;
  imageSource: ImageSource;
  sourceFiles: SourceFile[];
  /** The installed (and possibly slimmed) dependencies as a tar with names under out/. */
  depsTar: string | undefined;
  cache: CacheStatus;
  cacheKey: string | undefined;
  buildImage: string | undefined;
  slim: SlimReport | undefined;
}

/** What every package report says about the build, whatever it wrote (zip or image). */
export function buildFacts(
  project: ResolvedProject,
  prepared: PreparedContents,
  audit: AuditSummary | undefined,
): Omit<BuildFacts, 'files' | 'largest'> {
  return {
    cache: prepared.cache,
    cacheKey: prepared.cacheKey,
    audit,
    durationMs: Math.round(performance.now() - prepared.started),
    stages: Object.fromEntries(Object.entries(prepared.stages).map(([k, v]) => [k, Math.round(v)])),
    runtime: project.runtime.name,
    architecture: project.architecture,
    buildImage: prepared.buildImage,
    dependencyFile: project.package.dependencies?.path,
    warnings: prepared.warnings,
    slim: prepared.slim,
  };
}

/** `outputs`: files this run writes; when they lie inside the project they must not be packaged. */
export async function prepareContents(
  project: ResolvedProject,
  options: PackageOptions,
  outputs: string[],
): Promise<PreparedContents> {
  const started = performance.now();
  const reporter = options.reporter ?? silentReporter;
  const stages: Record<string, number> = {};
  // The project's own warnings (a deprecated or preview runtime) belong in every report; the CLI
  // has printed them already.
  const warnings: string[] = [...project.warnings];
  const warn = (message: string) => {
    warnings.push(message);
    reporter.warn(message);
  };
  const imageSource = options.imageSource ?? imageSourceFromEnv();

  let done = reporter.stage('collect', project.root);
  const sourceRoot = resolve(project.root, project.package.sourceDir);
  const ownOutput = outputs.flatMap((path) => {
    const inside = relative(sourceRoot, path);
    return inside.startsWith('..') || isAbsolute(inside) ? [] : [`/${inside.split(sep).join('/')}`];
  });
  const filter = sourceFilterFor(project, ownOutput);
  const sourceFiles = await collectSources(sourceRoot, filter);
  stages.collect = done();

  const prepared: PreparedContents = {
    started,
    reporter,
    warnings,
    warn,
    stages,
    imageSource,
    sourceFiles,
    depsTar: undefined,
    cache: 'none',
    cacheKey: undefined,
    buildImage: undefined,
    slim: undefined,
  };
  const dependencyFile = project.package.dependencies;
  if (!dependencyFile) return prepared;

  const inputs = await readTarInputs(project.root, dependencyInputs(project.root, dependencyFile));
  const docker = options.docker ?? (await connectEngine()).docker;
  done = reporter.stage('image', `build image for ${project.runtime.name} ${project.architecture}`);
  const image = await ensureBuildImage(
    docker,
    project.runtime,
    project.architecture,
    imageSource,
    reporter,
  );
  prepared.buildImage = image.tag;
  stages.image = done();
  const key = cacheKey({
    inputsSha256: hashInputs(inputs),
    dependencyKind: dependencyFile.kind,
    dependencyPath: dependencyFile.path,
    installArgs: project.package.installArgs,
    runtime: project.runtime.name,
    architecture: project.architecture,
    buildImageId: image.id,
  });
  prepared.cacheKey = key;
  const depsCache = DependencyCache.forProject(project.root);
  const slimConfig =
    options.slim === false ? undefined : (project.package.slim ?? (options.slim ? {} : undefined));
  const slim = slimConfig && resolveSlim(slimConfig, project.runtime.language);
  const slimKey = slim && slimTreeKey(key, slim);

  // npm trees are checked for skipped install scripts on every build, hit or miss, so a change of
  // package.allowSkippedInstallScripts never needs a reinstall and a hit never hides the failure.
  const npm = dependencyFile.kind === 'npm';
  const checkScripts = async () => {
    if (npm)
      checkInstallScripts(
        await readInstallScriptReport(depsCache, key),
        project.package.allowSkippedInstallScripts,
        warn,
      );
  };
  const usable = !options.noCache && (!npm || hasInstallScriptReport(depsCache, key));

  // A cached slimmed tree makes the unslimmed one irrelevant: no install, no container.
  const slimHit = slimKey && usable ? await cachedSlimTree(depsCache, slimKey) : undefined;
  if (slimHit) {
    reporter.info(
      `  dependencies: cache hit (${dependencyFile.path} unchanged, slimmed tree cached)`,
    );
    await checkScripts();
    return { ...prepared, cache: 'hit', depsTar: slimHit.tar, slim: slimHit.report };
  }
  let rawTar: string;
  if (usable && depsCache.has(key)) {
    prepared.cache = 'hit';
    rawTar = depsCache.pathFor(key);
    reporter.info(`  dependencies: cache hit (${dependencyFile.path} unchanged)`);
  } else {
    prepared.cache = 'miss';
    done = reporter.stage('install', `${dependencyFile.path} in ${image.tag}`);
    rawTar = await installDependencies({
      docker,
      image: image.tag,
      architecture: project.architecture,
      dependencyFile,
      inputs,
      installArgs: project.package.installArgs,
      cache: depsCache,
      cacheKey: key,
      reporter,
    });
    stages.install = done();
  }
  await checkScripts();
  prepared.depsTar = rawTar;
  if (slim && slimKey) {
    done = reporter.stage('slim', 'remove unused files, strip debug info');
    const slimmed = await slimDependencies({
      docker,
      image: image.tag,
      architecture: project.architecture,
      slim,
      rawTar,
      cache: depsCache,
      key: slimKey,
      reporter,
    });
    stages.slim = done();
    prepared.depsTar = slimmed.tar;
    prepared.slim = slimmed.report;
  }
  return prepared;
}

export type SizedEntry = ZipEntryInput & { size: number };

/** The installed tree's files (names relative to its root) and the sources, read lazily. */
export async function gatherEntries(
  sources: SourceFile[],
  depsTar: string | undefined,
): Promise<{ dependencies: SizedEntry[]; sources: SizedEntry[] }> {
  const dependencies: SizedEntry[] = [];
  if (depsTar) {
    for await (const entry of tarToZipEntries(createReadStream(depsTar), { stripPrefix: 'out/' })) {
      const data = typeof entry.data === 'function' ? await entry.data() : entry.data;
      dependencies.push({ ...entry, data, size: data.length });
    }
  }
  const files = sources.map((file) => ({
    name: file.name,
    mode: file.executable ? 0o755 : 0o644,
    size: file.size,
    data: () => readFile(file.absolutePath),
  }));
  return { dependencies, sources: files };
}

/** Dependencies first, then sources; a source file with the same name as a dependency file wins. */
export function mergeEntries(
  dependencies: SizedEntry[],
  sources: SizedEntry[],
  warn: (message: string) => void,
): SizedEntry[] {
  const byName = new Map(dependencies.map((entry) => [entry.name, entry]));
  const shadowed: string[] = [];
  for (const file of sources) {
    if (byName.has(file.name)) shadowed.push(file.name);
    byName.set(file.name, file);
  }
  if (shadowed.length > 0)
    warn(
      `${shadowed.length} source file(s) replace installed dependency files of the same name: ${shadowed.slice(0, 3).join(', ')}`,
    );
  return [...byName.values()];
}

async function writeZip(entries: SizedEntry[], path: string): Promise<ZipResult> {
  await mkdir(dirname(path), { recursive: true });
  // If we are interrupted mid-write the zip writer's temp file is the only trace; make sure it goes.
  const removeHook = onCleanup(async () => rm(`${path}.tmp-${process.pid}`, { force: true }));
  return writeReproducibleZip(entries, path).finally(removeHook);
}

async function auditZips(
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

export interface AuditSummary {
  ok: boolean;
  errors: number;
  warnings: number;
  requiredGlibc: string | undefined;
}

/** Audit every output; with the official images a failed audit fails the build. */
export async function auditStage(
  project: ResolvedProject,
  prepared: PreparedContents,
  run: () => Promise<AuditReport[]>,
): Promise<AuditSummary> {
  const { reporter, warn } = prepared;
  const done = reporter.stage(
    'audit',
    `${project.runtime.name} ${project.architecture} (glibc ${project.runtime.glibc})`,
  );
  const results = await run();
  prepared.stages.audit = done();
  const lines = results.flatMap((result) =>
    findingLines(result).map((line) => (results.length > 1 ? `${line} [${result.source}]` : line)),
  );
  if (prepared.imageSource === 'offline') {
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
  };
}
