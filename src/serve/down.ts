/**
 * `lbuild down`: stop a serve process (foreground or --detach), take the Compose project down, and
 * remove any worker container left by a killed process. The database volume survives unless asked.
 */
import type Docker from 'dockerode';
import type { ResolvedProject } from '../config/load.js';
import { labelPrefix } from '../docker/labels.js';
import type { Reporter } from '../log.js';
import { runCompose } from './compose/compose-cli.js';
import { composeProjectName, writeStack } from './compose/stack-file.js';
import { databaseSettings } from './database.js';
import { imageSourceFromEnv } from '../runtimes/images.js';
import { clearState, isAlive, readState } from './state-file.js';

export async function stopStack(
  docker: Docker,
  project: ResolvedProject,
  options: { volumes: boolean; reporter: Reporter },
): Promise<{ containersRemoved: number; volumesRemoved: boolean }> {
  const state = readState(project.root);
  if (state && isAlive(state.pid) && state.pid !== process.pid) {
    process.kill(state.pid, 'SIGTERM');
    const deadline = Date.now() + 20_000;
    while (isAlive(state.pid) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
  }
  const before = await docker.listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${composeProjectName(project.name)}`] },
  });
  const database = project.config.database
    ? databaseSettings(project.config, project.name, imageSourceFromEnv())
    : undefined;
  const compose = await writeStack(project.root, project.name, database);
  await runCompose(compose, ['down', '--remove-orphans', ...(options.volumes ? ['-v'] : [])]);
  // Workers of a serve process that was killed before it could clean up.
  const workers = await docker.listContainers({
    all: true,
    filters: { label: [`${labelPrefix}.managed=true`, `${labelPrefix}.project=${project.name}`] },
  });
  await Promise.all(
    workers.map((w) =>
      docker
        .getContainer(w.Id)
        .remove({ force: true })
        .catch(() => {}),
    ),
  );
  await clearState(project.root);
  return { containersRemoved: before.length + workers.length, volumesRemoved: options.volumes };
}
