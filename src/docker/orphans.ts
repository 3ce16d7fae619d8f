/**
 * Containers left behind by an lbuild process that was killed before it could clean up (SIGKILL, a
 * closed terminal, a cancelled CI job): labelled as ours, created on this machine, by a process
 * that no longer runs. Every connection to the engine removes them first, so they never pile up.
 * A detached `lbuild serve` is still running, so its workers stay; other machines' containers on a
 * shared engine are never touched (their pids mean nothing here).
 */
import type Docker from 'dockerode';
import { hostname } from 'node:os';
import { isProcessAlive } from '../process-alive.js';
import { managedLabel, ownerHostLabel, ownerPidLabel } from './labels.js';

export async function removeOrphanedContainers(docker: Docker): Promise<string[]> {
  const ours = await docker.listContainers({ all: true, filters: { label: [`${managedLabel}=true`, `${ownerHostLabel}=${hostname()}`] } });
  const orphans = ours.filter((container) => !isProcessAlive(Number(container.Labels[ownerPidLabel])));
  await Promise.all(orphans.map((container) => docker.getContainer(container.Id).remove({ force: true, v: true }).catch(() => undefined)));
  return orphans.map((container) => container.Id);
}
