/**
 * `lbuild package --format image`: the same sources and (slimmed) dependencies as the zip, put in
 * /var/task of the runtime's run image, with the handler as CMD, tagged locally and optionally
 * saved as a `docker save` tar. The image is the escape hatch from the 250 MB zip limit (10 GB),
 * so that limit is not applied; the ELF/glibc audit still is.
 */
import { resolve } from 'node:path';
import type Docker from 'dockerode';
import type { ResolvedProject } from '../../config/load.js';
import { connectEngine } from '../../docker/engine.js';
import { ensureImage } from '../../docker/images.js';
import {
  architectureLabel,
  baseImageLabel,
  contentHashLabel,
  handlerLabel,
  projectLabel,
  roleLabel,
  runtimeLabel,
  type ResourceRole,
} from '../../docker/labels.js';
import { auditEntries } from '../../audit/index.js';
import { runtimeSupportDir } from '../../paths.js';
import { dockerPlatform } from '../../runtimes/catalog.js';
import { baseImageFor } from '../../runtimes/images.js';
import { resolveZipMtime } from '../zip/index.js';
import { largestContributors } from '../size-report.js';
import {
  auditStage,
  buildFacts,
  gatherEntries,
  mergeEntries,
  prepareContents,
  type BuildFacts,
  type PackageOptions,
} from '../package-project.js';
import { buildFunctionImage, checkTag, saveImage } from './build-function-image.js';
import { bootstrapFiles, contentSha256, contextTar, type ContextFile } from './image-context.js';
import { planFunctionImage } from './image-plan.js';

export interface ImageOptions extends Omit<PackageOptions, 'out' | 'layer'> {
  /** Default: package.imageTag, else "<name>:latest". */
  tag?: string;
  /** Also write the image as a `docker save` tar here. */
  save?: string;
}

export interface ImagePackageReport extends BuildFacts {
  format: 'image';
  image: {
    id: string;
    tag: string;
    /** Size of the image as the engine reports it (base layers included). */
    bytes: number;
    baseImage: string;
    entrypoint: string[];
    cmd: string[];
    /** sha256 of the /var/task (and bootstrap) content: equal for equal code, unlike the image id. */
    contentSha256: string;
    labels: Record<string, string>;
  };
  saved: { path: string; bytes: number } | undefined;
  unzippedBytes: number;
}

export function defaultImageTag(project: ResolvedProject): string {
  return `${
    project.name
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'app'
  }:latest`;
}

export async function packageImage(
  project: ResolvedProject,
  options: ImageOptions = {},
): Promise<ImagePackageReport> {
  const tag = checkTag(options.tag ?? project.package.imageTag ?? defaultImageTag(project));
  const save = options.save === undefined ? undefined : resolve(options.save);
  const prepared = await prepareContents(project, options, save ? [save] : []);
  const { stages, warn, reporter } = prepared;
  const docker: Docker = options.docker ?? (await connectEngine()).docker;

  let done = reporter.stage('function image', tag);
  const { dependencies, sources } = await gatherEntries(prepared.sourceFiles, prepared.depsTar);
  const entries = mergeEntries(dependencies, sources, warn);
  const task: ContextFile[] = await Promise.all(
    entries.map(async (e) => ({
      name: e.name,
      executable: (e.mode & 0o111) !== 0,
      data: typeof e.data === 'function' ? await e.data() : e.data,
    })),
  );
  const baseImage = baseImageFor(
    project.runtime,
    'run',
    project.architecture,
    prepared.imageSource,
  );
  const platform =
    project.architecture === 'arm64' ? dockerPlatform(project.architecture) : undefined;
  await ensureImage(docker, baseImage, {
    ...(platform ? { platform } : {}),
    onProgress: (line) => reporter.toolOutput(line),
  });
  const base = await docker.getImage(baseImage).inspect();
  const entrypoint = base.Config?.Entrypoint ?? [];
  const handler = project.functions[0]!.handler;
  const others = project.functions.filter((fn) => fn.handler !== handler);
  if (others.length > 0) {
    warn(
      `the image's CMD is ${handler}; give ${others.map((fn) => fn.name).join(', ')} their handler with the function's ImageConfig.Command`,
    );
  }
  const plan = planFunctionImage({
    baseImage,
    baseEntrypoint: Array.isArray(entrypoint) ? entrypoint : [entrypoint],
    language: project.runtime.language,
    handler,
  });
  const files = [
    ...task.map((file) => ({ ...file, name: `var/task/${file.name}` })),
    ...(plan.bootstrapDir
      ? await bootstrapFiles(
          `${runtimeSupportDir}/${project.runtime.language === 'python' ? 'python' : 'node'}`,
          `${plan.bootstrapDir.slice(1)}/`,
        )
      : []),
  ];
  const contentHash = contentSha256(files);
  const labels = {
    [roleLabel]: 'function-image' satisfies ResourceRole,
    [projectLabel]: project.name,
    [runtimeLabel]: project.runtime.name,
    [architectureLabel]: project.architecture,
    [handlerLabel]: handler,
    [baseImageLabel]: baseImage,
    [contentHashLabel]: contentHash,
  };
  const context = await contextTar(plan.dockerfile, files, resolveZipMtime());
  const built = await buildFunctionImage({
    docker,
    context,
    tag,
    labels,
    reporter,
    ...(platform ? { platform } : {}),
  });
  stages.functionImage = done();

  const audit = options.noAudit
    ? undefined
    : await auditStage(project, prepared, async () => [
        await auditEntries(
          task.map((file) => ({ name: file.name, data: file.data })),
          { runtime: project.runtime, architecture: project.architecture },
        ),
      ]);

  let saved: ImagePackageReport['saved'];
  if (save) {
    done = reporter.stage('save', save);
    saved = await saveImage(docker, tag, save);
    stages.save = done();
  }

  return {
    format: 'image',
    image: {
      id: built.id,
      tag,
      bytes: built.bytes,
      baseImage,
      entrypoint: plan.entrypoint,
      cmd: plan.cmd,
      contentSha256: contentHash,
      labels,
    },
    saved,
    files: task.length,
    unzippedBytes: task.reduce((sum, file) => sum + file.data.length, 0),
    ...buildFacts(project, prepared, audit),
    largest: largestContributors(entries),
  };
}
