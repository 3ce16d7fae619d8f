/**
 * One stand-in image: its Dockerfile and files from images/offline plus any fetched npm packages,
 * built unless the engine already has an image with the same hash of all that.
 */
import type Docker from 'dockerode';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage, inspectImage } from '../docker/images.js';
import { standInHashLabel as standInLabel } from '../docker/labels.js';
import type { Reporter } from '../log.js';
import { imagesDir } from '../paths.js';
import { dockerPlatform, type Architecture } from '../runtimes/catalog.js';
import { fetchPackage } from './npm-packages.js';
import { buildArgsFor, standInHash, type StandInImage } from './offline-plan.js';

const offlineContext = join(imagesDir, 'offline');

/** Build one stand-in unless the engine has it with the same hash; resolves with its hash. */
export async function buildStandIn(
  docker: Docker,
  image: StandInImage,
  arch: Architecture,
  fromHash: string,
  reporter: Reporter,
  force: boolean,
): Promise<{ hash: string; outcome: 'built' | 'present' }> {
  const files = new Map<string, Buffer>();
  for (const name of [image.dockerfile, ...image.extraFiles])
    files.set(name, await readFile(join(offlineContext, name)));
  const fetched: Record<string, string> = {};
  for (const file of image.fetch) fetched[file.name] = await fetchPackage(file, reporter);
  const hash = standInHash(
    image,
    files,
    Object.values(fetched).map((p) => p.split('/').at(-1)!),
    fromHash,
  );
  const existing = await inspectImage(docker, image.tag);
  if (!force && existing?.Config?.Labels?.[standInLabel] === hash)
    return { hash, outcome: 'present' };

  const done = reporter.stage('image', image.tag);
  const context = Object.fromEntries(
    [...files.keys()].map((name) => [name, join(offlineContext, name)]),
  );
  await buildImage(docker, {
    context: { ...context, ...fetched },
    dockerfile: image.dockerfile,
    tag: image.tag,
    buildArgs: buildArgsFor(image),
    platform: dockerPlatform(arch),
    labels: { [standInLabel]: hash },
    onLine: (line) => reporter.toolOutput(`${image.tag}: ${line}`),
  });
  done();
  return { hash, outcome: 'built' };
}
