import type { Command } from 'commander';
import { loadProject } from '../../config/load.js';
import { applicationLogLevels, normalizeLevel } from '../../emulator/index.js';
import { UserError } from '../../errors.js';
import { serveLogFor, showDatabaseLogs, tailServeLog } from '../../serve/stack-logs.js';
import { logLineFormatter } from '../colored-logs.js';
import { runCommand } from '../run-command.js';

interface LogsFlags {
  follow?: boolean;
  dir: string;
  level?: string;
  request?: string;
  json?: boolean;
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description(
      'show the logs of a stack started with `lbuild serve --detach` (functions, or `db`)',
    )
    .argument('[function]', 'only this function (or `db` for Postgres)')
    .option('-f, --follow', 'keep printing new lines')
    .option(
      '--level <level>',
      `only lines of this level or more severe (${applicationLogLevels.join(', ')})`,
    )
    .option('--request <id>', "only this invocation's lines (its request id)")
    .option('--json', 'the log events as JSON lines, as written (function lines untouched)')
    .option('--dir <dir>', 'project folder', '.')
    .action(async (fn: string | undefined, flags: LogsFlags) => {
      await runCommand(false, async () => {
        const level = flags.level === undefined ? undefined : parseLevel(flags.level);
        const project = loadProject(flags.dir);
        if (fn === 'db') {
          const composeProject = await showDatabaseLogs(project, flags.follow ?? false);
          return { result: { project: composeProject } };
        }
        const file = serveLogFor(project, fn);
        // The serve log is masked when written.
        const format = logLineFormatter({
          json: flags.json ?? false,
          tty: process.stdout.isTTY === true,
          mask: (s) => s,
        });
        await tailServeLog(file, {
          filter: { functionName: fn, level, requestId: flags.request },
          onLine: (line, event) => {
            // --json: the events only, each line as the serve wrote it.
            if (flags.json) {
              if (event && line.startsWith('{')) process.stdout.write(`${line}\n`);
              return;
            }
            process.stdout.write(`${event && line.startsWith('{') ? format(event) : line}\n`);
          },
          // Following ends with Ctrl-C, which then ends only the following, not the process.
          ...(flags.follow
            ? { followUntil: new Promise<void>((resolve) => process.once('SIGINT', resolve)) }
            : {}),
        });
        return { result: { file } };
      });
    });
}

function parseLevel(name: string) {
  const level = normalizeLevel(name);
  if (!level)
    throw new UserError(`--level ${name} is not a log level`, {
      hint: `Use one of ${applicationLogLevels.join(', ')}.`,
    });
  return level;
}
