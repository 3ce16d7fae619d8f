/**
 * The local Postgres (RDS stand-in): its settings, the two URLs (one for functions on the Compose
 * network, one for the host), and waiting for its health check with a clear error if it never passes.
 */
import type Docker from 'dockerode';
import type { ResolvedDatabase } from '../config/resolved-project.js';
import { composeProjectLabel, composeServiceLabel } from '../docker/labels.js';
import { EnvironmentError } from '../errors.js';
import { offlinePostgresImage, type ImageSource } from '../runtimes/images.js';
import { databaseService, type DatabaseSettings } from './compose/stack-file.js';

/** The database's Compose settings; its image depends on where lbuild's images come from. */
export function databaseSettings(db: ResolvedDatabase, source: ImageSource): DatabaseSettings {
  return {
    image: db.image ?? (source === 'offline' ? offlinePostgresImage('x86_64') : 'postgres:16'),
    name: db.name,
    user: db.user,
    password: db.password,
    hostPort: db.hostPort,
  };
}

export function databaseUrls(settings: DatabaseSettings): {
  forFunctions: string;
  forHost: string;
} {
  const credentials = `${encodeURIComponent(settings.user)}:${encodeURIComponent(settings.password)}`;
  return {
    forFunctions: `postgresql://${credentials}@${databaseService}:5432/${settings.name}`,
    forHost: `postgresql://${credentials}@127.0.0.1:${settings.hostPort}/${settings.name}`,
  };
}

export async function findServiceContainer(
  docker: Docker,
  composeProject: string,
  service: string,
): Promise<Docker.ContainerInfo | undefined> {
  const list = await docker.listContainers({
    all: true,
    filters: {
      label: [`${composeProjectLabel}=${composeProject}`, `${composeServiceLabel}=${service}`],
    },
  });
  return list[0];
}

export async function waitForHealthy(
  docker: Docker,
  composeProject: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'not created';
  while (Date.now() < deadline) {
    const info = await findServiceContainer(docker, composeProject, databaseService);
    if (info) {
      const state = (await docker.getContainer(info.Id).inspect()).State;
      last = state.Health?.Status ?? state.Status;
      if (last === 'healthy') return;
      if (state.Status === 'exited' || state.Status === 'dead') break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const info = await findServiceContainer(docker, composeProject, databaseService);
  let logs = '';
  if (info) {
    const buffer = (await docker
      .getContainer(info.Id)
      .logs({ stdout: true, stderr: true, tail: 20 })) as unknown as Buffer;
    // Docker's multiplexed log frames start with control bytes (stream id, length): drop them.
    // eslint-disable-next-line no-control-regex
    logs = buffer.toString('utf8').replace(/[\x00-\x08]/g, '');
  }
  throw new EnvironmentError(
    `the database did not become healthy within ${Math.round(timeoutMs / 1000)} s (last state: ${last})${logs ? `; its last log lines:\n${logs}` : ''}`,
    {
      hint: 'Check database.image and credentials in lbuild.json; `lbuild logs db` shows the full log; `lbuild down --volumes` starts from an empty database (deletes its data).',
    },
  );
}
