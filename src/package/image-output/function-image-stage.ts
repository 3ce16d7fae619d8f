/**
 * The function image stage of `lbuild package --format image`: the merged entries go to /var/task
 * of the runtime's run image (plus lbuild's bootstrap when the base has no usable runtime client),
 * with the handler as CMD, built through the Docker API.
 */
import type Docker from 'dockerode';
import type { ResolvedProject } from '../../config/load.js';
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
import { runtimeSupportDir } from '../../paths.js';
import { dockerPlatform } from '../../runtimes/catalog.js';
import { baseImageFor } from '../../runtimes/images.js';
import { resolveZipMtime } from '../zip/index.js';
import { gatherEntries, mergeEntries, type SizedEntry } from '../gather-entries.js';
import type { PreparedContents } from '../prepare.js';
import type { PackageRun } from '../run-context.js';
import { buildFunctionImage } from './build-function-image.js';
import { bootstrapFiles, contentSha256, contextTar, type ContextFile } from './image-context.js';
import { planFunctionImage, type ImagePlan } from './image-plan.js';

export interface FunctionImage {
  id: string;
  /** Size of the image as the engine reports it (base layers included). */
  bytes: number;
  baseImage: string;
  plan: ImagePlan;
  /** sha256 of the /var/task (and bootstrap) content: equal for equal code, unlike the image id. */
  contentSha256: string;
  labels: Record<string, string>;
  /** The /var/task files, names relative to /var/task, loaded. */
  task: ContextFile[];
  /** The same files before loading, with their sizes. */
  entries: SizedEntry[];
}

interface RunBaseImage {
  name: string;
  entrypoint: string[];
  /** Only for arm64 (see FunctionImageBuild.platform). */
  platform: string | undefined;
}

export async function functionImageStage(
  project: ResolvedProject,
  run: PackageRun,
  prepared: PreparedContents,
  tag: string,
): Promise<FunctionImage> {
  const docker = await run.docker();
  const done = run.stage('functionImage', tag);
  const { entries, task } = await taskFiles(run, prepared);
  const base = await runBaseImage(project, run, docker);
  const handler = imageHandler(project, run);
  const plan = planFunctionImage({
    baseImage: base.name,
    baseEntrypoint: base.entrypoint,
    language: project.runtime.language,
    handler,
  });
  const files = [
    ...task.map((file) => ({ ...file, name: `var/task/${file.name}` })),
    ...(await bootstrapFor(project, plan)),
  ];
  const contentHash = contentSha256(files);
  const labels = functionImageLabels(project, handler, base.name, contentHash);
  const context = await contextTar(plan.dockerfile, files, resolveZipMtime());
  const built = await buildFunctionImage({
    docker,
    context,
    tag,
    labels,
    reporter: run.reporter,
    ...(base.platform ? { platform: base.platform } : {}),
  });
  done();
  return {
    ...built,
    baseImage: base.name,
    plan,
    contentSha256: contentHash,
    labels,
    task,
    entries,
  };
}

async function taskFiles(
  run: PackageRun,
  prepared: PreparedContents,
): Promise<{ entries: SizedEntry[]; task: ContextFile[] }> {
  const { dependencies, sources } = await gatherEntries(prepared.sourceFiles, prepared.depsTar);
  const entries = mergeEntries(dependencies, sources, run.warn);
  const task: ContextFile[] = await Promise.all(
    entries.map(async (e) => ({
      name: e.name,
      executable: (e.mode & 0o111) !== 0,
      data: typeof e.data === 'function' ? await e.data() : e.data,
    })),
  );
  return { entries, task };
}

async function runBaseImage(
  project: ResolvedProject,
  run: PackageRun,
  docker: Docker,
): Promise<RunBaseImage> {
  const name = baseImageFor(project.runtime, 'run', project.architecture, run.imageSource);
  const platform =
    project.architecture === 'arm64' ? dockerPlatform(project.architecture) : undefined;
  await ensureImage(docker, name, {
    ...(platform ? { platform } : {}),
    onProgress: (line) => run.reporter.toolOutput(line),
  });
  const base = await docker.getImage(name).inspect();
  const entrypoint = base.Config?.Entrypoint ?? [];
  return { name, entrypoint: Array.isArray(entrypoint) ? entrypoint : [entrypoint], platform };
}

/** The first function's handler is the image's CMD; the others need theirs set at deploy time. */
function imageHandler(project: ResolvedProject, run: PackageRun): string {
  const handler = project.functions[0]!.handler;
  const others = project.functions.filter((fn) => fn.handler !== handler);
  if (others.length > 0) {
    run.warn(
      `the image's CMD is ${handler}; give ${others.map((fn) => fn.name).join(', ')} their handler with the function's ImageConfig.Command`,
    );
  }
  return handler;
}

async function bootstrapFor(project: ResolvedProject, plan: ImagePlan): Promise<ContextFile[]> {
  if (!plan.bootstrapDir) return [];
  return bootstrapFiles(
    `${runtimeSupportDir}/${project.runtime.language === 'python' ? 'python' : 'node'}`,
    `${plan.bootstrapDir.slice(1)}/`,
  );
}

function functionImageLabels(
  project: ResolvedProject,
  handler: string,
  baseImage: string,
  contentHash: string,
): Record<string, string> {
  return {
    [roleLabel]: 'function-image' satisfies ResourceRole,
    [projectLabel]: project.name,
    [runtimeLabel]: project.runtime.name,
    [architectureLabel]: project.architecture,
    [handlerLabel]: handler,
    [baseImageLabel]: baseImage,
    [contentHashLabel]: contentHash,
  };
}
