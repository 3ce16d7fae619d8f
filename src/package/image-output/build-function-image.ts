/**
 * Build and save a function image through the Docker API: the context goes up as a tar (no bind
 * mount, no docker CLI), progress errors fail the build (the engine reports them mid-stream with
 * HTTP 200), and `--save` streams `docker save` output into a file that appears only when whole.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { onCleanup } from '../../docker/cleanup.js';
import { DockerStreamError, followProgress } from '../../docker/stream.js';
import { inspectImage } from '../../docker/images.js';
import { BuildError, UserError } from '../../errors.js';
import type { Reporter } from '../../log.js';

export interface FunctionImageBuild {
  docker: Docker;
  context: Buffer;
  tag: string;
  labels: Record<string, string>;
  /** Only for arm64: engines as old as 20.10 need it to pick the base image's variant. */
  platform?: string;
  reporter: Reporter;
}

/** Docker's reference grammar, simplified: [registry[:port]/]lower-case/path[:tag]. */
const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
export const imageTagPattern = new RegExp(
  `^(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?${component}(?:/${component})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$`,
);

export function checkTag(tag: string): string {
  if (!imageTagPattern.test(tag)) {
    throw new UserError(`"${tag}" is not a valid image tag`, {
      hint: 'Use a lower-case name with an optional :tag, e.g. --tag my-api:latest or --tag registry.example.com/team/api:1.2.',
    });
  }
  return tag;
}

export async function buildFunctionImage(
  build: FunctionImageBuild,
): Promise<{ id: string; bytes: number }> {
  const stream = await build.docker.buildImage(Readable.from([build.context]) as never, {
    t: build.tag,
    labels: build.labels,
    rm: true,
    forcerm: true,
    ...(build.platform ? { platform: build.platform } : {}),
  });
  try {
    await followProgress(stream as never, (event) => {
      if (event.stream)
        for (const line of event.stream.split('\n'))
          if (line.trim()) build.reporter.toolOutput(line);
    });
  } catch (error) {
    if (error instanceof DockerStreamError) {
      throw new BuildError(`building the function image ${build.tag} failed: ${error.message}`, {
        hint: 'Check that the run image exists (`lbuild images build`, or LBUILD_IMAGE_SOURCE=offline) and see the output above with --verbose.',
        details: { outputTail: error.outputTail },
      });
    }
    throw error;
  }
  const info = await inspectImage(build.docker, build.tag);
  if (!info)
    throw new BuildError(`image ${build.tag} was built but the engine does not list it`, {
      hint: 'Run `docker images` to check the engine.',
    });
  return { id: info.Id, bytes: info.Size };
}

/** `docker save <tag>` into `path`, written beside it first so a half-written tar never lingers. */
export async function saveImage(
  docker: Docker,
  tag: string,
  path: string,
): Promise<{ path: string; bytes: number }> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.tmp-${process.pid}`;
  const removeHook = onCleanup(async () => rm(partial, { force: true }));
  try {
    await pipeline(
      (await docker.getImage(tag).get()) as unknown as NodeJS.ReadableStream,
      createWriteStream(partial),
    );
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    removeHook();
  }
  return { path, bytes: (await stat(path)).size };
}
