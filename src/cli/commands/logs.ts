import type { Command } from 'commander';
import { createReadStream, existsSync, statSync, watchFile, unwatchFile } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../config/load.js';
import { UserError } from '../../errors.js';
import { runComposeAttached } from '../../serve/compose/compose-cli.js';
import { composeProjectName, writeStack } from '../../serve/compose/stack-file.js';
import { databaseSettings } from '../../serve/database.js';
import { serveDir } from '../../serve/state-file.js';
import { imageSourceFromEnv } from '../../runtimes/images.js';
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
          const database = project.config.database
            ? databaseSettings(project.config, project.name, imageSourceFromEnv())
            : undefined;
          const compose = await writeStack(project.root, project.name, database);
          await runComposeAttached(compose, [
            'logs',
            '--no-color',
            ...(flags.follow ? ['-f'] : []),
            'db',
          ]);
          return { result: { project: composeProjectName(project.name) } };
        }
        if (fn && !project.functions.some((f) => f.name === fn)) {
          throw new UserError(`no function named "${fn}" in ${project.name}`, {
            hint: `Functions: ${project.functions.map((f) => f.name).join(', ')} (or db).`,
          });
        }
        const file = join(serveDir(project.root), 'serve.log');
        if (!existsSync(file))
          throw new UserError(`no log file at ${file}`, {
            hint: 'Start the stack with `lbuild serve --detach` first (a foreground `lbuild serve` prints its logs itself).',
          });
        await printFrom(file, 0, fn, flags.follow ?? false);
        return { result: { file } };
      });
    });
}

async function printFrom(
  file: string,
  start: number,
  fn: string | undefined,
  follow: boolean,
): Promise<void> {
  let offset = start;
  let partial = '';
  const emit = (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines)
      if (!fn || line.includes(`[${fn}`) || line.includes(`"functionName":"${fn}"`))
        process.stdout.write(`${line}\n`);
  };
  const readMore = () =>
    new Promise<void>((resolve) => {
      const size = statSync(file).size;
      if (size <= offset) return resolve();
      const stream = createReadStream(file, { start: offset, end: size - 1 });
      offset = size;
      stream.on('data', (chunk) => emit(chunk.toString()));
      stream.on('end', resolve);
    });
  await readMore();
  if (!follow) return;
  await new Promise<void>((resolve) => {
    watchFile(file, { interval: 250 }, () => void readMore());
    process.once('SIGINT', () => {
      unwatchFile(file);
      resolve();
    });
  });
}
