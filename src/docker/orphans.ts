/**
 * What an lbuild process killed before it could clean up (SIGKILL, a closed terminal, a cancelled
 * CI job) leaves behind: its containers, and the code images its container workers ran (one per
 * code version, a layer over the run image each). Labelled as ours, made on this machine, by a
 * process that no longer runs. Every connection to the engine removes them first, so they never
 * pile up. A detached `lbuild serve` is still running, so its workers stay; other machines'
 * resources on a shared engine are never touched (their pids mean nothing here), and neither are
 * build images, stand-ins or function images (`package --format image`), which are meant to last.
 */
import type Docker from 'dockerode';
import { hostname } from 'node:os';
import { isProcessAlive } from '../process-alive.js';
import {
  functionLabel,
  managedLabel,
  ownedContainerRoles,
  ownerHostLabel,
  ownerPidLabel,
  roleLabel,
} from './labels.js';

export async function removeOrphanedContainers(docker: Docker): Promise<string[]> {
  const ours = await docker.listContainers({
    all: true,
    filters: { label: [`${managedLabel}=true`, `${ownerHostLabel}=${hostname()}`] },
  });
  const orphans = ours.filter(
    (container) =>
      (ownedContainerRoles.includes(container.Labels[roleLabel] ?? '') ||
        isCodeImageStaging(container.Labels)) &&
      !isProcessAlive(Number(container.Labels[ownerPidLabel])),
  );
  await Promise.all(
    orphans.map((container) =>
      docker
        .getContainer(container.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  return orphans.map((container) => container.Id);
}

/**
 * The staging container of a code image (created, never started, committed, then removed) carries
 * the image's labels, role `image` with a function: a process killed mid-build leaves it behind.
 * Containers started from lbuild's other images (Compose's Postgres) have no function label.
 */
function isCodeImageStaging(labels: Record<string, string>): boolean {
  return labels[roleLabel] === 'image' && labels[functionLabel] !== undefined;
}

export async function removeOrphanedCodeImages(docker: Docker): Promise<string[]> {
  const ours = await docker.listImages({
    all: true,
    filters: {
      label: [
        `${managedLabel}=true`,
        `${ownerHostLabel}=${hostname()}`,
        `${roleLabel}=image`,
        functionLabel,
      ],
    },
  });
  const orphans = ours.filter((image) => !isProcessAlive(Number(image.Labels?.[ownerPidLabel])));
  // Not forced: an image some container still uses is left for the next time.
  await Promise.all(
    orphans.map((image) =>
      docker
        .getImage(image.Id)
        .remove()
        .catch(() => undefined),
    ),
  );
  return orphans.map((image) => image.Id);
}
