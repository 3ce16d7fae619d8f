/**
 * The dependency stages: the build image, then the installed tree (system packages, the install,
 * bundled shared libraries) from the cache or from the build container, then slim if asked. A
 * code-only change finds all of it cached.
 */
import type Docker from 'dockerode';
import type { DependencyFile } from '../config/dependency-file.js';
import type { ResolvedProject } from '../config/load.js';
import { ensureBuildImage, type BuildImageRef } from '../images/build-image.js';
import { buildImagePackageManager } from '../runtimes/images.js';
import { dependencyInputs } from './dependency-inputs.js';
import { hashInputs, readTarInputs, type TarInput } from './tar-files.js';
import { DependencyCache, cacheKey } from './dependency-cache.js';
import { installDependencies } from './install-dependencies.js';
import { bundleScriptsSha256 } from './libraries/bundle-libraries.js';
import {
  hasLibraryBundle,
  readLibraryBundle,
  type LibraryBundle,
} from './libraries/library-report.js';
import { neverBundled, neverBundledList } from './libraries/never-bundled.js';
import { installScriptSha256 } from './system-packages/install-system-packages.js';
import { selectSystemPackages, type SystemPackagesSelection } from './system-packages/selection.js';
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
  /** What library bundling put into lib/; undefined when it is off or there are no dependencies. */
  libraries: LibraryBundle | undefined;
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
  systemPackages: SystemPackagesSelection | undefined;
  bundle: boolean;
}

/** `pip`: the package sources a Python build reads (find-sources.ts), read once by prepare.ts. */
export async function dependencyStages(
  project: ResolvedProject,
  run: PackageRun,
  pip: PipSources | undefined,
): Promise<InstalledDependencies> {
  const dependencyFile = project.package.dependencies;
  if (!dependencyFile) {
    if (Object.values(project.package.systemPackages.byManager).some((list) => list.length > 0))
      run.warn(
        'package.systemPackages is set but the project has no dependency file, so no build container runs to install them',
      );
    return {
      depsTar: undefined,
      cache: 'none',
      cacheKey: undefined,
      buildImage: undefined,
      slim: undefined,
      libraries: undefined,
    };
  }

  const sources = pip ?? noPipSources;
  const packageSources =
    dependencyFile.kind === 'npm'
      ? undefined
      : await shipPipSources(project.root, sources, project.package.installArgs);
  const inputs = withRewrittenTexts(
    await readTarInputs(project.root, dependencyInputs(project.root, dependencyFile, sources)),
    packageSources,
  );
  const docker = await run.clock.time('engine', () => run.docker());
  const image = await buildImageStage(project, run, docker);
  const { selection: systemPackages, warning } = selectSystemPackages(
    project.package.systemPackages,
    buildImagePackageManager(project.runtime, run.imageSource),
  );
  if (warning) run.warn(warning);
  const bundle = run.options.bundleLibraries ?? project.package.bundleLibraries;
  const key = installKey(project, {
    inputs,
    packageSources,
    dependencyFile,
    image,
    systemPackages,
    bundle,
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
    systemPackages,
    bundle,
  };
  const slim = slimSettings(project, run.options);
  const slimKey = slim && slimTreeKey(key, slim);
  const found = { cacheKey: key, buildImage: image.tag };
  const usable =
    !run.options.noCache &&
    (dependencyFile.kind !== 'npm' || hasInstallScriptReport(depsCache, key)) &&
    (!bundle || hasLibraryBundle(depsCache, key));

  // A cached slimmed tree makes the unslimmed one irrelevant: no install, no container.
  const slimHit = slimKey && usable ? await cachedSlimTree(depsCache, slimKey) : undefined;
  if (slimHit) {
    run.reporter.info(
      `  dependencies: cache hit (${dependencyFile.path} unchanged, slimmed tree cached)`,
    );
    await checkScripts(job);
    const libraries = await cachedLibraries(job);
    return { ...found, cache: 'hit', depsTar: slimHit.tar, slim: slimHit.report, libraries };
  }
  const installed = await cachedOrInstalled(job, usable);
  await checkScripts(job);
  warnUnresolved(installed.libraries, run.warn);
  if (!slim || !slimKey) return { ...found, ...installed, slim: undefined };
  const slimmed = await slimStage(job, slim, slimKey, installed.depsTar);
  return {
    ...found,
    cache: installed.cache,
    depsTar: slimmed.tar,
    slim: slimmed.report,
    libraries: installed.libraries,
  };
}

/** The cache key of the installed tree: everything that decides what the build container makes. */
function installKey(
  project: ResolvedProject,
  job: Pick<
    DependencyJob,
    'inputs' | 'packageSources' | 'dependencyFile' | 'image' | 'systemPackages' | 'bundle'
  >,
): string {
  const { systemPackages } = job;
  return cacheKey({
    inputsSha256: hashInputs(job.inputs),
    packageSourcesSha256: job.packageSources?.sha256 ?? '',
    dependencyKind: job.dependencyFile.kind,
    dependencyPath: job.dependencyFile.path,
    installArgs: project.package.installArgs,
    systemPackages: systemPackages && {
      manager: systemPackages.manager,
      packages: systemPackages.packages,
      scriptSha256: installScriptSha256(),
    },
    bundleLibraries: job.bundle && {
      scriptsSha256: bundleScriptsSha256(),
      neverBundled: neverBundledList(project.runtime, project.architecture),
    },
    runtime: project.runtime.name,
    architecture: project.architecture,
    buildImageId: job.image.id,
  });
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
  const done = run.stage(
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
  done();
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

/** The bundle report kept beside a cached tree (hits only; `usable` checked that it exists). */
async function cachedLibraries(job: DependencyJob): Promise<LibraryBundle | undefined> {
  if (!job.bundle) return undefined;
  const libraries = await readLibraryBundle(job.depsCache, job.key);
  warnUnresolved(libraries, job.run.warn);
  return libraries;
}

/** Said on every build, hit or miss: the zip will not load on Lambda until the library is there. */
function warnUnresolved(libraries: LibraryBundle | undefined, warn: (m: string) => void): void {
  for (const { soname, neededBy } of libraries?.unresolved ?? [])
    warn(
      `${neededBy.slice(0, 3).join(', ')}${neededBy.length > 3 ? ', …' : ''} need${neededBy.length === 1 ? 's' : ''} ${soname}, which the build container does not have either, so it was not bundled: add the OS package that provides it to package.systemPackages`,
    );
}

/** The unslimmed tree: from the cache when `usable` allows, else installed in the build image. */
async function cachedOrInstalled(
  job: DependencyJob,
  usable: boolean,
): Promise<{ cache: CacheStatus; depsTar: string; libraries: LibraryBundle | undefined }> {
  const { project, run, dependencyFile, depsCache, key } = job;
  if (usable && depsCache.has(key)) {
    run.reporter.info(`  dependencies: cache hit (${dependencyFile.path} unchanged)`);
    const libraries = job.bundle ? await readLibraryBundle(depsCache, key) : undefined;
    return { cache: 'hit', depsTar: depsCache.pathFor(key), libraries };
  }
  const done = run.stage('install', `${dependencyFile.path} in ${job.image.tag}`);
  const installed = await installDependencies({
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
    systemPackages: job.systemPackages,
    bundle: job.bundle
      ? { neverBundled: neverBundled(project.runtime, project.architecture) }
      : undefined,
  });
  // Measured inside the install (by its own progress lines): steps of the install stage.
  if (installed.stages.systemPackages !== undefined)
    run.clock.record('systemPackages', installed.stages.systemPackages);
  if (installed.stages.bundle !== undefined) run.clock.record('libraries', installed.stages.bundle);
  done();
  return { cache: 'miss', depsTar: installed.tar, libraries: installed.libraries };
}

async function slimStage(
  job: DependencyJob,
  slim: ResolvedSlim,
  slimKey: string,
  rawTar: string,
): Promise<{ tar: string; report: SlimReport }> {
  const done = job.run.stage('slim', 'remove unused files, strip debug info');
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
  done();
  return slimmed;
}
