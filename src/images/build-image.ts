/**
 * lbuild's build image for a runtime: the base build image plus the install helper
 * (images/build/Dockerfile). Built on first use, so `lbuild package` works on a fresh engine, and
 * rebuilt when the helper or the base image changes (both are recorded as labels).
 */
import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureImage, buildImage, inspectImage } from '../docker/images.js';
import { baseIdLabel as baseLabel, helperHashLabel as helperLabel } from '../docker/labels.js';
import type { Reporter } from '../log.js';
import { imagesDir } from '../paths.js';
import { type Architecture, type RuntimeInfo, dockerPlatform } from '../runtimes/catalog.js';
import {
  baseImageFor,
  lbuildBuildImage,
  offlineNotice,
  type ImageSource,
} from '../runtimes/images.js';

export interface BuildImageRef {
  tag: string;
  id: string;
  base: string;
}

const buildContext = join(imagesDir, 'build');

function helperHash(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(buildContext).sort())
    hash.update(name).update(readFileSync(join(buildContext, name)));
  return hash.digest('hex');
}

export async function ensureBuildImage(
  docker: Docker,
  runtime: RuntimeInfo,
  arch: Architecture,
  source: ImageSource,
  reporter: Reporter,
  options: { rebuild?: boolean } = {},
): Promise<BuildImageRef> {
  offlineNotice(source, runtime, (m) => reporter.warn(m));
  const base = baseImageFor(runtime, 'build', arch, source);
  const tag = lbuildBuildImage(runtime, arch, source);
  const helper = helperHash();
  const [existing, baseInfo] = await Promise.all([
    inspectImage(docker, tag),
    inspectImage(docker, base),
  ]);
  const labels = existing?.Config?.Labels ?? {};
  const upToDate =
    existing && labels[helperLabel] === helper && (!baseInfo || labels[baseLabel] === baseInfo.Id);
  if (upToDate && !options.rebuild) return { tag, id: existing.Id, base };

  const done = reporter.stage('image', `${tag} (from ${base})`);
  const baseId = await ensureImage(docker, base, {
    platform: dockerPlatform(arch),
    onProgress: (l) => reporter.toolOutput(l),
  });
  const id = await buildImage(docker, {
    context: buildContext,
    dockerfile: 'Dockerfile',
    tag,
    buildArgs: { BASE_IMAGE: base },
    platform: dockerPlatform(arch),
    labels: { [helperLabel]: helper, [baseLabel]: baseId },
    onLine: (line) => reporter.toolOutput(line),
  });
  done();
  return { tag, id, base };
}
