/**
 * The dependency stages: the build image, then the installed tree from the cache or from an install
 * in the build container, then slim if asked. A code-only change finds all of it cached.
 */
import type Docker from 'dockerode';
import type { DependencyFile } from '../config/dependency-file.js';
import type { ResolvedProject } from '../config/load.js';
import { ensureBuildImage, type BuildImageRef } from '../images/build-image.js';
import { dependencyInputs } from './dependency-inputs.js';
import { hashInputs, readTarInputs, type TarInput } from './tar-files.js';
import { DependencyCache, cacheKey } from './dependency-cache.js';
import { installDependencies } from './install-dependencies.js';
import { noPipSources, type PipSources } from './pip-sources/find-sources.js';
import { shipPipSources, type ShippedSources } from './pip-sources/ship-sources.js';
import {
  checkInstallScripts,
  hasInstallScriptReport,
  readInstallScriptReport,
} from './install-scripts.js';
import {
  cachedSlimTree,
  resolveSlim,
  slimDependencies,
  slimTreeKey,
  type ResolvedSlim,
  type SlimReport,
} from './slim/index.js';
import type { BuildOptions } from './options.js';
import type { CacheStatus } from './report.js';
import type { PackageRun } from './run-context.js';

export interface InstalledDependencies {
  /** The installed (and possibly slimmed) dependencies as a tar with names under out/. */
  depsTar: string | undefined;
  cache: CacheStatus;
  cacheKey: string | undefined;
  buildImage: string | undefined;
  slim: SlimReport | undefined;
}

/** What the dependency stages share once the build image and the cache key are known. */
interface DependencyJob {
  project: ResolvedProject;
  run: PackageRun;
  docker: Docker;
  dependencyFile: DependencyFile;
  inputs: TarInput[];
  packageSources: ShippedSources | undefined;
  image: BuildImageRef;
  key: string;
  depsCache: DependencyCache;
}

/** `pip`: the package sources a Python build reads (find-sources.ts), read once by prepare.ts. */
export async function dependencyStages(
  project: ResolvedProject,
  run: PackageRun,
  pip: PipSources | undefined,
): Promise<InstalledDependencies> {
  const dependencyFile = project.package.dependencies;
  if (!dependencyFile)
    return {
      depsTar: undefined,
      cache: 'none',
      cacheKey: undefined,
      buildImage: undefined,
      slim: undefined,
    };

  const sources = pip ?? noPipSources;
  const packageSources =
    dependencyFile.kind === 'npm'
      ? undefined
      : await shipPipSources(project.root, sources, project.package.installArgs);
  const inputs = withRewrittenTexts(
    await readTarInputs(project.root, dependencyInputs(project.root, dependencyFile, sources)),
    packageSources,
  );
  const docker = await run.docker();
  const image = await buildImageStage(project, run, docker);
  const key = cacheKey({
    inputsSha256: hashInputs(inputs),
    packageSourcesSha256: packageSources?.sha256 ?? '',
    dependencyKind: dependencyFile.kind,
    dependencyPath: dependencyFile.path,
    installArgs: project.package.installArgs,
    runtime: project.runtime.name,
    architecture: project.architecture,
    buildImageId: image.id,
  });
  const depsCache = DependencyCache.forProject(project.root);
  const job: DependencyJob = {
    project,
    run,
    docker,
    dependencyFile,
    inputs,
    packageSources,
    image,
    key,
    depsCache,
  };
  const slim = slimSettings(project, run.options);
  const slimKey = slim && slimTreeKey(key, slim);
  const found = { cacheKey: key, buildImage: image.tag };
  const usable =
    !run.options.noCache &&
    (dependencyFile.kind !== 'npm' || hasInstallScriptReport(depsCache, key));

  // A cached slimmed tree makes the unslimmed one irrelevant: no install, no container.
  const slimHit = slimKey && usable ? await cachedSlimTree(depsCache, slimKey) : undefined;
  if (slimHit) {
    run.reporter.info(
      `  dependencies: cache hit (${dependencyFile.path} unchanged, slimmed tree cached)`,
    );
    await checkScripts(job);
    return { ...found, cache: 'hit', depsTar: slimHit.tar, slim: slimHit.report };
  }
  const installed = await cachedOrInstalled(job, usable);
  await checkScripts(job);
  if (!slim || !slimKey) return { ...found, ...installed, slim: undefined };
  const slimmed = await slimStage(job, slim, slimKey, installed.depsTar);
  return { ...found, cache: installed.cache, depsTar: slimmed.tar, slim: slimmed.report };
}

/** Requirement files that name host paths go in with those paths pointing into the container. */
function withRewrittenTexts(inputs: TarInput[], shipped: ShippedSources | undefined): TarInput[] {
  if (!shipped) return inputs;
  return inputs.map((input) => {
    const text = shipped.requirementTexts.get(input.name);
    return text === undefined ? input : { ...input, content: Buffer.from(text) };
  });
}

async function buildImageStage(
  project: ResolvedProject,
  run: PackageRun,
  docker: Docker,
): Promise<BuildImageRef> {
  const { reporter } = run;
  const done = reporter.stage(
    'image',
    `build image for ${project.runtime.name} ${project.architecture}`,
  );
  const image = await ensureBuildImage(
    docker,
    project.runtime,
    project.architecture,
    run.imageSource,
    reporter,
  );
  run.stages.image = done();
  return image;
}

function slimSettings(project: ResolvedProject, options: BuildOptions): ResolvedSlim | undefined {
  const slimConfig =
    options.slim === false ? undefined : (project.package.slim ?? (options.slim ? {} : undefined));
  return slimConfig && resolveSlim(slimConfig, project.runtime.language);
}

/**
 * npm trees are checked for skipped install scripts on every build, hit or miss, so a change of
 * package.allowSkippedInstallScripts never needs a reinstall and a hit never hides the failure.
 */
async function checkScripts(job: DependencyJob): Promise<void> {
  if (job.dependencyFile.kind !== 'npm') return;
  checkInstallScripts(
    await readInstallScriptReport(job.depsCache, job.key),
    job.project.package.allowSkippedInstallScripts,
    job.run.warn,
  );
}

/** The unslimmed tree: from the cache when `usable` allows, else installed in the build image. */
async function cachedOrInstalled(
  job: DependencyJob,
  usable: boolean,
): Promise<{ cache: CacheStatus; depsTar: string }> {
  const { project, run, dependencyFile, depsCache, key } = job;
  if (usable && depsCache.has(key)) {
    run.reporter.info(`  dependencies: cache hit (${dependencyFile.path} unchanged)`);
    return { cache: 'hit', depsTar: depsCache.pathFor(key) };
  }
  const done = run.reporter.stage('install', `${dependencyFile.path} in ${job.image.tag}`);
  const depsTar = await installDependencies({
    docker: job.docker,
    project: project.name,
    image: job.image.tag,
    architecture: project.architecture,
    dependencyFile,
    inputs: job.inputs,
    packageSources: job.packageSources,
    installArgs: project.package.installArgs,
    cache: depsCache,
    cacheKey: key,
    reporter: run.reporter,
  });
  run.stages.install = done();
  return { cache: 'miss', depsTar };
}

async function slimStage(
  job: DependencyJob,
  slim: ResolvedSlim,
  slimKey: string,
  rawTar: string,
): Promise<{ tar: string; report: SlimReport }> {
  const done = job.run.reporter.stage('slim', 'remove unused files, strip debug info');
  const slimmed = await slimDependencies({
    docker: job.docker,
    project: job.project.name,
    image: job.image.tag,
    architecture: job.project.architecture,
    slim,
    rawTar,
    cache: job.depsCache,
    key: slimKey,
    reporter: job.run.reporter,
  });
  job.run.stages.slim = done();
  return slimmed;
}
