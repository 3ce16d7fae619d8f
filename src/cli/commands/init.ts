import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { initProject } from '../../init/init-project.js';
import { formatInitReport } from '../../init/report-text.js';
import { takeDefault, type Ask } from '../../init/init-types.js';
import { runCommand } from '../run-command.js';

interface InitFlags {
  from?: string;
  stage?: string;
  runtime?: string;
  yes?: boolean;
  force?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'detect the app (Flask, Django, FastAPI, Express...) or import zappa_settings.json / serverless.yml / template.yaml, and write lbuild.json',
    )
    .argument('[dir]', 'project folder', '.')
    .option('--from <file>', 'import zappa_settings.json, serverless.yml or a SAM template.yaml')
    .option('--stage <stage>', 'Zappa: the stage to import (default: the first)')
    .option('--runtime <runtime>', 'runtime for every function, over what was detected')
    .option('-y, --yes', 'take the default answer to every question')
    .option('--force', 'replace an existing lbuild.json')
    .option('--dry-run', 'print the config instead of writing it')
    .option('--json', 'print the result (config, mapped, not mapped) as JSON on stdout')
    .action(async (dir: string, flags: InitFlags) => {
      await runCommand(flags.json ?? false, async () => {
        // Questions need a person at a terminal; anywhere else (CI, a pipe) the defaults are taken
        // and the report says which.
        const terminal = process.stdin.isTTY && process.stderr.isTTY && !flags.yes && !flags.json;
        const prompt = terminal ? terminalAsk() : undefined;
        try {
          const result = await initProject(dir, {
            ...(flags.from ? { from: flags.from } : {}),
            ...(flags.stage ? { stage: flags.stage } : {}),
            ...(flags.runtime ? { runtime: flags.runtime } : {}),
            force: flags.force ?? false,
            dryRun: flags.dryRun ?? false,
            ask: prompt?.ask ?? takeDefault,
          });
          return { result, summary: formatInitReport(result) };
        } finally {
          prompt?.close();
        }
      });
    });
}

/** Numbered options on stderr; Enter takes the default. */
function terminalAsk(): { ask: Ask; close: () => void } {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const ask: Ask = async ({ question, options, default: fallback }) => {
    const list = options.map((o, i) => `  ${i + 1}) ${o}${o === fallback ? ' (default)' : ''}`);
    const answer = (await rl.question(`${question}\n${list.join('\n')}\n> `)).trim();
    const index = Number(answer) - 1;
    return options[index] ?? (options.includes(answer) ? answer : fallback);
  };
  return { ask, close: () => rl.close() };
}
