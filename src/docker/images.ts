/**
 * Making sure an image exists: look locally, then pull, then fail with a message that names the
 * image and the offline option. Builds send their context as a tar stream and fail loudly when
 * the engine reports an error mid-stream.
 */
import type Docker from 'dockerode';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { ImageMissingError, BuildError } from '../errors.js';
import { DockerStreamError, followProgress } from './stream.js';
import { lbuildLabels } from './labels.js';
import { standInBuildCommand } from '../runtimes/images.js';

export async function inspectImage(
  docker: Docker,
  tag: string,
): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(tag).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

export async function imageId(docker: Docker, tag: string): Promise<string | undefined> {
  return (await inspectImage(docker, tag))?.Id;
}

export async function ensureImage(
  docker: Docker,
  tag: string,
  options: { platform?: string; onProgress?: (line: string) => void } = {},
): Promise<string> {
  const local = await imageId(docker, tag);
  if (local) return local;
  try {
    const stream = await docker.pull(tag, options.platform ? { platform: options.platform } : {});
    await followProgress(stream as NodeJS.ReadableStream as never, (event) => {
      if (event.status && options.onProgress)
        options.onProgress(`${event.id ? `${event.id}: ` : ''}${event.status}`);
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const standIn = standInBuildCommand(tag);
    throw new ImageMissingError(
      `image ${tag} is not on this engine and could not be pulled (${reason})`,
      {
        cause: error,
        hint: standIn
          ? `It is an offline stand-in: build it with \`${standIn}\`.`
          : `Pull it where a registry is reachable (docker pull ${tag}), or, with no registry, build the offline stand-ins with \`lbuild images build --offline\` and set LBUILD_IMAGE_SOURCE=offline.`,
      },
    );
  }
  const pulled = await imageId(docker, tag);
  if (!pulled)
    throw new ImageMissingError(`image ${tag} was pulled but is not listed by the engine`, {
      hint: 'Run `docker images` to check the engine.',
    });
  return pulled;
}

/** Pack named files as a build context (small contexts only: images/ folders, a Node.js build). */
async function packFiles(
  files: ReadonlyArray<readonly [name: string, path: string]>,
): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  for (const [name, path] of files) {
    const info = await stat(path);
    archive.entry({ name, mode: info.mode & 0o777, mtime: new Date(0) }, await readFile(path));
  }
  archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

async function folderFiles(folder: string, prefix = ''): Promise<Array<[string, string]>> {
  const files: Array<[string, string]> = [];
  for (const name of (await readdir(folder)).sort()) {
    const full = join(folder, name);
    const entryName = prefix ? `${prefix}/${name}` : name;
    if ((await stat(full)).isDirectory()) files.push(...(await folderFiles(full, entryName)));
    else files.push([entryName, full]);
  }
  return files;
}

export interface BuildImageOptions {
  /** A folder sent whole as the build context, or the files to send (name in context → path). */
  context: string | Record<string, string>;
  dockerfile: string;
  tag: string;
  buildArgs?: Record<string, string>;
  platform?: string;
  labels?: Record<string, string>;
  onLine?: (line: string) => void;
}

export async function buildImage(docker: Docker, options: BuildImageOptions): Promise<string> {
  const context = await packFiles(
    typeof options.context === 'string'
      ? await folderFiles(options.context)
      : Object.entries(options.context),
  );
  const stream = await docker.buildImage(context as never, {
    t: options.tag,
    dockerfile: options.dockerfile,
    buildargs: options.buildArgs ?? {},
    labels: lbuildLabels('image', options.labels),
    rm: true,
    forcerm: true,
    ...(options.platform ? { platform: options.platform } : {}),
  });
  try {
    await followProgress(stream as never, (event) => {
      if (event.stream && options.onLine)
        for (const line of event.stream.split('\n')) if (line.trim()) options.onLine(line);
    });
  } catch (error) {
    if (error instanceof DockerStreamError) {
      throw new BuildError(`building image ${options.tag} failed: ${error.message}`, {
        hint: `See the build output above; the Dockerfile is ${options.dockerfile}${typeof options.context === 'string' ? ` in ${options.context}` : ''}.`,
        details: { outputTail: error.outputTail },
      });
    }
    throw error;
  }
  const id = await imageId(docker, options.tag);
  if (!id)
    throw new BuildError(`image ${options.tag} was built but the engine does not list it`, {
      hint: 'Run `docker images` to check the engine.',
    });
  return id;
}
