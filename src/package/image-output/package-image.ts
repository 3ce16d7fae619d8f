/**
 * `lbuild package --format image`: the same sources and (slimmed) dependencies as the zip, put in
 * /var/task of the runtime's run image, with the handler as CMD, tagged locally and optionally
 * saved as a `docker save` tar. The image is the escape hatch from the 250 MB zip limit (10 GB),
 * so that limit is not applied; the ELF/glibc audit still is.
 */
import { resolve } from 'node:path';
import type { ResolvedProject } from '../../config/load.js';
import { auditEntries } from '../../audit/index.js';
import { largestContributors } from '../size-report.js';
import { auditStage } from '../audit-stage.js';
import type { BuildOptions } from '../options.js';
import { prepareContents } from '../prepare.js';
import { buildFacts, type BuildFacts } from '../report.js';
import { startRun } from '../run-context.js';
import { checkTag, saveImage } from './build-function-image.js';
import { functionImageStage } from './function-image-stage.js';

export interface ImageOptions extends BuildOptions {
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
  const run = startRun(project, options);
  const prepared = await prepareContents(project, run, save ? [save] : []);
  const image = await functionImageStage(project, run, prepared, tag);
  const { task } = image;

  const audit = options.noAudit
    ? undefined
    : await auditStage(project, run, async () => [
        await auditEntries(
          task.map((file) => ({ name: file.name, data: file.data })),
          { runtime: project.runtime, architecture: project.architecture },
        ),
      ]);

  let saved: ImagePackageReport['saved'];
  if (save) {
    const done = run.stage('save', save);
    saved = await saveImage(await run.docker(), tag, save);
    done();
  }

  return {
    format: 'image',
    image: {
      id: image.id,
      tag,
      bytes: image.bytes,
      baseImage: image.baseImage,
      entrypoint: image.plan.entrypoint,
      cmd: image.plan.cmd,
      contentSha256: image.contentSha256,
      labels: image.labels,
    },
    saved,
    files: task.length,
    unzippedBytes: task.reduce((sum, file) => sum + file.data.length, 0),
    ...buildFacts(project, run, prepared, audit),
    largest: largestContributors(image.entries),
  };
}
