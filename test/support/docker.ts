/**
 * Test helpers over a real engine: what lbuild left behind, the offline images to run, and cleanup
 * of what a test made. Whether Docker tests run at all is decided in gates.ts.
 */
import type Docker from 'dockerode';
import { offlineImage } from '../../src/runtimes/images.js';
import { findRuntime } from '../../src/runtimes/lookup.js';

/**
 * Containers this test process made through lbuild that still exist (should be none after any
 * command). Scoped by the owner-pid label so other processes' containers don't count.
 */
export async function lbuildContainers(
  docker: Docker,
  pid = process.pid,
): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({
    all: true,
    filters: { label: ['dev.lbuild.managed=true', `dev.lbuild.pid=${pid}`] },
  });
}

/**
 * Names of the containers this process had lbuild create since a Unix time in seconds (fractions
 * count: the engine's log is asked from the whole second, then cut at the exact time, so a
 * container made earlier in the same second by a previous test is not counted).
 */
export async function containersCreatedSince(
  docker: Docker,
  since: number,
  pid = process.pid,
  role?: string,
): Promise<string[]> {
  const until = Math.floor(Date.now() / 1000) + 1;
  const filters: { type: ['container']; event: string[]; label: string[] } = {
    type: ['container'],
    event: ['create'],
    label: [`dev.lbuild.pid=${pid}`, ...(role ? [`dev.lbuild.role=${role}`] : [])],
  };
  const stream = (await docker.getEvents({
    since: Math.floor(since),
    until,
    filters,
  })) as unknown as AsyncIterable<Buffer>;
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text
    .split('\n')
    .filter(Boolean)
    .map(
      (line) => JSON.parse(line) as { timeNano: number; Actor: { Attributes: { name: string } } },
    )
    .filter((event) => event.timeNano / 1e9 >= since)
    .map((event) => event.Actor.Attributes.name);
}

/** The first of these image tags that exists (stand-ins are retagged per architecture later). */
export async function pickImage(docker: Docker, candidates: string[]): Promise<string> {
  for (const tag of candidates) {
    try {
      await docker.getImage(tag).inspect();
      return tag;
    } catch {
      // try the next
    }
  }
  throw new Error(
    `none of the images ${candidates.join(', ')} exists: build the offline stand-ins first (lbuild images build, LBUILD_IMAGE_SOURCE=offline)`,
  );
}

export const offlinePythonRun = [offlineImage(findRuntime('python3.11'), 'run', 'x86_64')];
export const offlineNodeRun = [offlineImage(findRuntime('nodejs18.x'), 'run', 'x86_64')];

/**
 * Removes everything Compose made for a project (containers, networks, volumes), whatever state a
 * test left it in: `lbuild serve` keeps the database volume when it stops (that is the feature), so
 * a test that starts a stack must drop it itself.
 */
export async function removeComposeProject(docker: Docker, project: string): Promise<void> {
  const filters = { label: [`com.docker.compose.project=${project}`] };
  for (const container of await docker.listContainers({ all: true, filters }))
    await docker.getContainer(container.Id).remove({ force: true, v: true });
  for (const network of await docker.listNetworks({ filters }))
    await docker.getNetwork(network.Id).remove();
  const { Volumes: volumes } = await docker.listVolumes({ filters });
  for (const volume of volumes ?? []) await docker.getVolume(volume.Name).remove();
}
