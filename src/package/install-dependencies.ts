/**
 * Install the dependencies inside the build container: the dependency inputs and the host CA bundle
 * go in with putArchive, package.systemPackages are installed, lbuild-install runs pip or npm, the
 * shared libraries the tree needs and Lambda lacks are copied into its lib/, and the result comes
 * out with getArchive straight into the cache (with the reports of which npm install scripts ran
 * and which libraries were bundled beside it). The container is removed whatever happens.
 */
import type Docker from 'dockerode';
import { WorkContainer } from '../docker/container.js';
import { BuildError, InternalError } from '../errors.js';
import type { Reporter } from '../log.js';
import type { DependencyFile } from '../config/dependency-file.js';
import { dockerPlatform, type Architecture } from '../runtimes/catalog.js';
import { containerCaBundlePath, forwardedEnvironment, hostCaBundle } from './forwarded-env.js';
import { tarBuffer, type TarInput } from './tar-files.js';
import type { DependencyCache } from './dependency-cache.js';
import { outputDir, scriptsReport, sourceDir } from './build-paths.js';
import type { ShippedSources } from './pip-sources/ship-sources.js';
import { streamHostFiles } from './pip-sources/host-files.js';
import { storeInstallScriptReport, type InstallScriptReport } from './install-scripts.js';
import { bundleLibraries } from './libraries/bundle-libraries.js';
import {
  describeBundle,
  storeLibraryBundle,
  type LibraryBundle,
} from './libraries/library-report.js';
import { installSystemPackages } from './system-packages/install-system-packages.js';
import type { SystemPackagesSelection } from './system-packages/selection.js';

export interface InstallRequest {
  docker: Docker;
  /** The project's name, for the build container's name (lbuild-<project>-build-...). */
  project: string;
  image: string;
  architecture: Architecture;
  dependencyFile: DependencyFile;
  inputs: TarInput[];
  /** Package sources at their container paths, and the PIP_* values and installArgs naming them. */
  packageSources: ShippedSources | undefined;
  installArgs: string[];
  cache: DependencyCache;
  cacheKey: string;
  reporter: Reporter;
  /** OS packages to install first, if package.systemPackages names any for this image. */
  systemPackages: SystemPackagesSelection | undefined;
  /** Bundle shared libraries into lib/ (undefined: bundling is off). */
  bundle: { neverBundled: (soname: string) => boolean } | undefined;
}

export interface InstallResult {
  /** The cached tree's tar. */
  tar: string;
  /** undefined when bundling is off. */
  libraries: LibraryBundle | undefined;
  /** Milliseconds of the steps before and after the install proper, for the report's stages. */
  stages: { systemPackages?: number; bundle?: number };
}

export async function installDependencies(request: InstallRequest): Promise<InstallResult> {
  const ca = hostCaBundle();
  const env = {
    ...forwardedEnvironment(),
    ...request.packageSources?.env,
    ...(ca ? { LBUILD_CA_BUNDLE: containerCaBundlePath } : {}),
    LBUILD_SCRIPTS_REPORT: scriptsReport,
  };
  const container = await WorkContainer.start(request.docker, {
    image: request.image,
    role: 'build',
    project: request.project,
    env,
    platform: dockerPlatform(request.architecture),
  });
  try {
    const files: TarInput[] = request.inputs.map((i) => ({
      ...i,
      name: `${sourceDir.slice(1)}/${i.name}`,
    }));
    files.push(...(request.packageSources?.files ?? []));
    if (ca)
      files.push({ name: containerCaBundlePath.slice(1), content: ca.content, executable: false });
    await container.putArchive(await tarBuffer(files), '/');
    // Wheel folders can be large: streamed from disk, after the small files.
    if (request.packageSources?.hostFiles.length)
      await container.putArchive(streamHostFiles(request.packageSources.hostFiles), '/');

    const stages: InstallResult['stages'] = {};
    const { systemPackages, reporter } = request;
    if (systemPackages) {
      const done = reporter.stage(
        'system packages',
        `${systemPackages.manager}: ${systemPackages.packages.join(' ')}`,
      );
      await installSystemPackages(container, systemPackages, reporter);
      stages.systemPackages = done();
    }
    await runInstall(container, request);
    if (request.dependencyFile.kind === 'npm') {
      await storeInstallScriptReport(
        request.cache,
        request.cacheKey,
        await readScriptsReport(container),
      );
    }
    let plan;
    if (request.bundle) {
      const done = reporter.stage('libraries', 'bundle what Lambda lacks into lib/');
      plan = await bundleLibraries(container, {
        treeRoot: outputDir,
        neverBundled: request.bundle.neverBundled,
        reporter,
      });
      stages.bundle = done();
    }
    const tar = await request.cache.store(request.cacheKey, await container.getArchive(outputDir));
    if (!plan) return { tar, libraries: undefined, stages };
    const libraries = await describeBundle(tar, plan);
    await storeLibraryBundle(request.cache, request.cacheKey, libraries);
    return { tar, libraries, stages };
  } finally {
    await container.remove();
  }
}

/** lbuild-install runs pip or npm; on failure the error carries the end of their output. */
async function runInstall(container: WorkContainer, request: InstallRequest): Promise<void> {
  const tail: string[] = [];
  const result = await container.exec(
    [
      'lbuild-install',
      request.dependencyFile.kind,
      request.dependencyFile.path,
      sourceDir,
      outputDir,
      ...(request.packageSources?.installArgs ?? request.installArgs),
    ],
    {
      onLine: (line) => {
        request.reporter.toolOutput(line);
        tail.push(line);
        if (tail.length > 40) tail.shift();
      },
    },
  );
  if (result.exitCode !== 0) {
    const tool = request.dependencyFile.kind === 'npm' ? 'npm ci' : 'pip install';
    throw new BuildError(
      `${tool} failed in the build container (exit ${result.exitCode}):\n${tail
        .slice(-25)
        .map((l) => `  ${l}`)
        .join('\n')}`,
      {
        hint: `Fix ${request.dependencyFile.path} (see the ${tool} output above) and run again; add --verbose for the full log.`,
        details: { exitCode: result.exitCode, outputTail: tail.slice(-25) },
      },
    );
  }
}

async function readScriptsReport(container: WorkContainer): Promise<InstallScriptReport> {
  const result = await container.exec(['cat', scriptsReport]);
  try {
    return JSON.parse(result.output) as InstallScriptReport; // cat's error message is no JSON either
  } catch (error) {
    throw new InternalError(
      `lbuild-install left no readable install-script report at ${scriptsReport}: ${result.output.trim().slice(0, 200)}`,
      {
        cause: error,
        hint: 'The build image is out of date or broken: rebuild it with `lbuild images build --force` and run again.',
      },
    );
  }
}
