import type { Command } from 'commander';
import { loadProject } from '../../config/load.js';
import { connectEngine } from '../../docker/engine.js';
import { stopStack, type StopResult } from '../../serve/down.js';
import { reporterFor } from '../reporter-for.js';
import { runCommand } from '../run-command.js';

export function registerDown(program: Command): void {
  program
    .command('down')
    .description('stop the local stack; the database volume is kept unless --volumes')
    .argument('[dir]', 'project folder', '.')
    .option('--volumes', 'also delete the database volume (its data is lost)')
    .option('--json', 'print what was removed as JSON')
    .action(async (dir: string, flags: { volumes?: boolean; json?: boolean }) => {
      await runCommand(flags.json ?? false, async () => {
        const project = loadProject(dir);
        const { docker } = await connectEngine();
        const result = await stopStack(docker, project, {
          volumes: flags.volumes ?? false,
          reporter: reporterFor(flags),
        });
        return { result, summary: downSummary(project.name, result, flags.volumes ?? false) };
      });
    });
}

/** Says what is gone, by name: containers (Compose's and the workers), networks, volumes. */
function downSummary(projectName: string, result: StopResult, volumes: boolean): string {
  const { containers, networks, volumes: removedVolumes } = result.removed;
  const listed = (names: string[], what: string) =>
    `${names.length} ${what}${names.length === 1 ? '' : 's'}${names.length ? ` (${names.join(', ')})` : ''}`;
  return [
    `✔ stopped ${projectName}: removed ${listed(containers, 'container')}, ${listed(networks, 'network')}`,
    volumes ? `, ${listed(removedVolumes, 'volume')}` : ', database volume kept',
  ].join('');
}
