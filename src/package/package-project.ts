/**
 * `lbuild package`: collect sources → install dependencies in the build container (or take them
 * from the cache) → write the reproducible zip → check Lambda's limits → report.
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
import { buildSourceFilter } from './ignore-rules.js';
import { collectSources } from './collect-sources.js';
import { dependencyInputs } from './dependency-inputs.js';
import { hashInputs, readTarInputs } from './tar-files.js';
import { DependencyCache, cacheKey } from './dependency-cache.js';
import { installDependencies } from './install-dependencies.js';
import { checkUnzippedLimit, directUploadLimitBytes, largestContributors, type Contributor } from './size-report.js';
import { tarToZipEntries, writeReproducibleZip, type ZipEntryInput } from './zip/index.js';
import { AuditFailedError, auditZip, findingLines } from '../audit/index.js';

export interface PackageOptions {
  out?: string;
  noCache?: boolean;
  reporter?: Reporter;
  imageSource?: ImageSource;
  /** Reuse a connected engine (tests, serve); otherwise one is connected when needed. */
  docker?: Docker;
  /** Skip the ELF/glibc/Mach-O audit of the finished zip (lbuild package --no-audit). */
  noAudit?: boolean;
}

export type CacheStatus = 'hit' | 'miss' | 'none';

export interface PackageReport {
  zip: string;
  sha256: string;
  bytes: number;
  unzippedBytes: number;
  files: number;
  cache: CacheStatus;
  cacheKey: string | undefined;
  audit: { ok: boolean; errors: number; warnings: number; requiredGlibc: string | undefined } | undefined;
  durationMs: number;
  stages: Record<string, number>;
  largest: Contributor[];
  runtime: string;
  architecture: string;
  buildImage: string | undefined;
  dependencyFile: string | undefined;
  warnings: string[];
}

export function defaultZipPath(project: ResolvedProject): string {
  return join(project.root, '.lbuild', 'dist', `${project.name}.zip`);
}

export async function packageProject(project: ResolvedProject, options: PackageOptions = {}): Promise<PackageReport> {
  const started = performance.now();
  const reporter = options.reporter ?? silentReporter;
  const stages: Record<string, number> = {};
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    reporter.warn(message);
  };
  const out = resolve(options.out ?? defaultZipPath(project));

  let done = reporter.stage('collect', project.root);
  const sourceRoot = resolve(project.root, project.package.sourceDir);
  const frontendDir = project.config.frontend?.dir;
  // An --out path inside the project must not end up inside the next zip.
  const outInside = relative(sourceRoot, out);
  const ownOutput = outInside.startsWith('..') || isAbsolute(outInside) ? [] : [`/${outInside.split(sep).join('/')}`];
  const filter = buildSourceFilter(project.root, {
    language: project.runtime.language,
    exclude: [...project.package.exclude, ...ownOutput],
    include: project.package.include,
    extraExcludes: frontendDir ? [frontendDir] : [],
  });
  const sources = await collectSources(sourceRoot, filter);
  stages.collect = done();

  let cache: CacheStatus = 'none';
  let key: string | undefined;
  let depsTar: string | undefined;
  let buildImageTag: string | undefined;
  const dependencyFile = project.package.dependencies;
  if (dependencyFile) {
    const inputs = await readTarInputs(project.root, dependencyInputs(project.root, dependencyFile));
    const docker = options.docker ?? (await connectEngine()).docker;
    done = reporter.stage('image', `build image for ${project.runtime.name} ${project.architecture}`);
    const image = await ensureBuildImage(docker, project.runtime, project.architecture, options.imageSource ?? imageSourceFromEnv(), reporter);
    buildImageTag = image.tag;
    stages.image = done();
    key = cacheKey({
      inputsSha256: hashInputs(inputs),
      dependencyKind: dependencyFile.kind,
      dependencyPath: dependencyFile.path,
      installArgs: project.package.installArgs,
      runtime: project.runtime.name,
      architecture: project.architecture,
      buildImageId: image.id,
    });
    const depsCache = DependencyCache.forProject(project.root);
    if (!options.noCache && depsCache.has(key)) {
      cache = 'hit';
      depsTar = depsCache.pathFor(key);
      reporter.info(`  dependencies: cache hit (${dependencyFile.path} unchanged)`);
    } else {
      cache = 'miss';
      done = reporter.stage('install', `${dependencyFile.path} in ${image.tag}`);
      depsTar = await installDependencies({
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
  }

  done = reporter.stage('zip', out);
  const entries = await gatherEntries(sources, depsTar, warn);
  const unzippedBytes = entries.reduce((sum, e) => sum + e.size, 0);
  const largest = largestContributors(entries);
  checkUnzippedLimit(unzippedBytes, largest);
  await mkdir(dirname(out), { recursive: true });
  // If we are interrupted mid-write the zip writer's temp file is the only trace; make sure it goes.
  const removeHook = onCleanup(async () => rm(`${out}.tmp-${process.pid}`, { force: true }));
  const zip = await writeReproducibleZip(entries, out).finally(removeHook);
  stages.zip = done();

  const imageSource = options.imageSource ?? imageSourceFromEnv();
  let audit: PackageReport['audit'];
  if (!options.noAudit) {
    done = reporter.stage('audit', `${project.runtime.name} ${project.architecture} (glibc ${project.runtime.glibc})`);
    const result = await auditZip(zip.path, { runtime: project.runtime, architecture: project.architecture });
    stages.audit = done();
    audit = { ok: result.ok, errors: result.errors.length, warnings: result.warnings.length, requiredGlibc: result.requiredGlibc ?? undefined };
    if (imageSource === 'offline') {
      // The stand-ins compile against Debian's glibc 2.36: say what that means instead of failing.
      warn(`built with an offline stand-in (glibc 2.36, newer than ${project.runtime.name}'s ${project.runtime.glibc}): binaries may need symbols Lambda lacks; build release zips with the official images`);
      for (const line of findingLines(result)) warn(line);
    } else {
      for (const line of findingLines(result).filter((l) => !l.startsWith('audit error'))) warn(line);
      if (!result.ok) throw new AuditFailedError(result);
    }
  }

  if (zip.bytes > directUploadLimitBytes) {
    warn(`the zip is ${zip.bytes} bytes, over the 50 MB direct-upload limit: upload it through S3 (aws lambda update-function-code --s3-bucket ...)`);
  }

  return {
    zip: zip.path,
    sha256: zip.sha256,
    bytes: zip.bytes,
    unzippedBytes: zip.unzippedBytes,
    files: zip.files,
    cache,
    cacheKey: key,
    audit,
    durationMs: Math.round(performance.now() - started),
    stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, Math.round(v)])),
    largest,
    runtime: project.runtime.name,
    architecture: project.architecture,
    buildImage: buildImageTag,
    dependencyFile: dependencyFile?.path,
    warnings,
  };
}

type SizedEntry = ZipEntryInput & { size: number };

/** Dependencies first, then sources; a source file with the same name as a dependency file wins. */
async function gatherEntries(
  sources: Awaited<ReturnType<typeof collectSources>>,
  depsTar: string | undefined,
  warn: (message: string) => void,
): Promise<SizedEntry[]> {
  const byName = new Map<string, SizedEntry>();
  if (depsTar) {
    for await (const entry of tarToZipEntries(createReadStream(depsTar), { stripPrefix: 'out/' })) {
      const data = typeof entry.data === 'function' ? await entry.data() : entry.data;
      byName.set(entry.name, { ...entry, data, size: data.length });
    }
  }
  const shadowed: string[] = [];
  for (const file of sources) {
    if (byName.has(file.name)) shadowed.push(file.name);
    byName.set(file.name, { name: file.name, mode: file.executable ? 0o755 : 0o644, size: file.size, data: () => readFile(file.absolutePath) });
  }
  if (shadowed.length > 0) warn(`${shadowed.length} source file(s) replace installed dependency files of the same name: ${shadowed.slice(0, 3).join(', ')}`);
  return [...byName.values()];
}
