/**
 * `lbuild down`: stop a serve process (foreground or --detach), take the Compose project down, and
 * remove any worker container left by a killed process. The database volume survives unless asked.
 * What was removed is reported by name: the stack is listed before and after, so containers a
 * stopping serve process removes itself (its workers) count too.
 */
import type Docker from 'dockerode';
import type { ResolvedProject } from '../config/resolved-project.js';
import {
  composeProjectLabel,
  managedLabel,
  ownerPidLabel,
  projectLabel,
  roleLabel,
} from '../docker/labels.js';
import type { Reporter } from '../log.js';
import { runCompose } from './compose/compose-cli.js';
import { composeFor } from './compose/compose-for.js';
import { composeProjectName } from './compose/stack-file.js';
import { clearState, isAlive, readState } from './state-file.js';

export interface StackResources {
  containers: string[];
  networks: string[];
  volumes: string[];
}

export interface StopResult {
  containersRemoved: number;
  volumesRemoved: boolean;
  /** The names of what is gone now that was there before `down`. */
  removed: StackResources;
}

export async function stopStack(
  docker: Docker,
  project: ResolvedProject,
  options: { volumes: boolean; reporter: Reporter },
): Promise<StopResult> {
  // The serve process's workers carry its pid, not the project: look them up before it stops.
  const servePid = readState(project.root)?.pid;
  const before = await listStackResources(docker, project, servePid);
  await stopServeProcess(project.root);
  const compose = await composeFor(project);
  await runCompose(compose, ['down', '--remove-orphans', ...(options.volumes ? ['-v'] : [])]);
  await removeLeftoverWorkers(docker, project);
  await clearState(project.root);
  const after = await listStackResources(docker, project, servePid);
  const removed: StackResources = {
    containers: gone(before.containers, after.containers),
    networks: gone(before.networks, after.networks),
    volumes: gone(before.volumes, after.volumes),
  };
  return { containersRemoved: removed.containers.length, volumesRemoved: options.volumes, removed };
}

/** SIGTERM runs the serve process's own teardown (workers removed, Compose stopped): wait for it. */
async function stopServeProcess(root: string): Promise<void> {
  const state = readState(root);
  if (!state || !isAlive(state.pid) || state.pid === process.pid) return;
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (isAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

/** Workers of a serve process that was killed before it could clean up. */
async function removeLeftoverWorkers(docker: Docker, project: ResolvedProject): Promise<void> {
  const workers = await docker.listContainers({
    all: true,
    filters: { label: [`${managedLabel}=true`, `${projectLabel}=${project.name}`] },
  });
  await Promise.all(
    workers.map((w) =>
      docker
        .getContainer(w.Id)
        .remove({ force: true })
        .catch(() => {}),
    ),
  );
}

/** The stack's Compose containers, networks and volumes, and the serve process's workers. */
export async function listStackResources(
  docker: Docker,
  project: ResolvedProject,
  servePid: number | undefined,
): Promise<StackResources> {
  const composeFilter = {
    filters: { label: [`${composeProjectLabel}=${composeProjectName(project.name)}`] },
  };
  const [composeContainers, ownContainers, workers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, ...composeFilter }),
    docker.listContainers({
      all: true,
      filters: { label: [`${managedLabel}=true`, `${projectLabel}=${project.name}`] },
    }),
    servePid === undefined
      ? []
      : docker.listContainers({
          all: true,
          filters: { label: [`${roleLabel}=worker`, `${ownerPidLabel}=${servePid}`] },
        }),
    docker.listNetworks(composeFilter),
    docker.listVolumes(composeFilter),
  ]);
  const containerName = (c: Docker.ContainerInfo) => (c.Names[0] ?? c.Id).replace(/^\//, '');
  return {
    containers: [
      ...new Set([...composeContainers, ...ownContainers, ...workers].map(containerName)),
    ],
    networks: networks.map((n) => n.Name),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
  };
}

function gone(before: string[], after: string[]): string[] {
  return before.filter((name) => !after.includes(name)).sort();
}
