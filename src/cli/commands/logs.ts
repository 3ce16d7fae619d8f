import type { Command } from 'commander';
import { loadProject } from '../../config/load.js';
import { serveLogFor, showDatabaseLogs, tailServeLog } from '../../serve/stack-logs.js';
import { runCommand } from '../run-command.js';

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description(
      'show the logs of a stack started with `lbuild serve --detach` (functions, or `db`)',
    )
    .argument('[function]', 'only this function (or `db` for Postgres)')
    .option('-f, --follow', 'keep printing new lines')
    .option('--dir <dir>', 'project folder', '.')
    .action(async (fn: string | undefined, flags: { follow?: boolean; dir: string }) => {
      await runCommand(false, async () => {
        const project = loadProject(flags.dir);
        if (fn === 'db') {
          const composeProject = await showDatabaseLogs(project, flags.follow ?? false);
          return { result: { project: composeProject } };
        }
        const file = serveLogFor(project, fn);
        await tailServeLog(file, {
          functionName: fn,
          onLine: (line) => process.stdout.write(`${line}\n`),
          // Following ends with Ctrl-C, which then ends only the following, not the process.
          ...(flags.follow
            ? { followUntil: new Promise<void>((resolve) => process.once('SIGINT', resolve)) }
            : {}),
        });
        return { result: { file } };
      });
    });
}
