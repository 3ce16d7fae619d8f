import type { Command } from 'commander';
import { runManage, type ManageResult } from '../../manage/index.js';
import { formatMs } from '../../log.js';
import { loadProjectFor } from '../load-project.js';
import { reporterFor } from '../reporter-for.js';
import { runCommand } from '../run-command.js';

interface ManageFlags {
  dir: string;
  function?: string;
  timeout?: string;
  fresh?: boolean;
  json?: boolean;
  verbose?: boolean;
}

export function registerManage(program: Command): void {
  program
    .command('manage')
    .description(
      "run a Django management command in a function's environment (like `zappa manage`), against the running stack's database if there is one",
    )
    .argument('<command>', 'the management command, e.g. migrate')
    .argument('[args...]', "the command's own arguments and options (after the command name)")
    .option('--dir <dir>', 'project folder', '.')
    .option('--function <name>', 'whose environment (default: the wsgi: function, or the only one)')
    .option(
      '--timeout <seconds>',
      'stop the command after this long (default django.manageTimeout or 900)',
    )
    .option('--fresh', 'use a fresh container even if `lbuild serve` is running')
    .option('--json', "print the result as JSON (the command's own output then goes to stderr)")
    .option('-v, --verbose', 'show build output')
    // Everything after the command name is the command's: `lbuild manage migrate --noinput`.
    .passThroughOptions()
    .action(async (command: string, args: string[], flags: ManageFlags) => {
      const json = flags.json ?? false;
      await runCommand(json, async () => {
        const reporter = reporterFor(flags);
        const project = loadProjectFor(flags.dir, {}, reporter);
        const result = await runManage(project, {
          command: [command, ...args],
          reporter,
          fresh: flags.fresh ?? false,
          ...(flags.function ? { functionName: flags.function } : {}),
          ...(flags.timeout !== undefined ? { timeoutSeconds: Number(flags.timeout) } : {}),
          // stdout stays the command's own (`lbuild manage dumpdata > data.json`), unless it carries --json.
          onOutput: (stream, chunk) =>
            (stream === 'stdout' && !json ? process.stdout : process.stderr).write(chunk),
        });
        const summary = summarize(result);
        return { result, ...(summary ? { summary } : {}), exitCode: result.exitCode };
      });
    });
}

/** Success was the stage's ✓ line; a failure is said once more, after the command's output. */
function summarize(result: ManageResult): string | undefined {
  if (result.exitCode === 0) return undefined;
  return `✗ manage ${result.command[0]} exited with status ${result.exitCode} after ${formatMs(result.durationMs)} (function ${result.functionName})`;
}
