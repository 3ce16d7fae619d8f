/**
 * `lbuild logs`: the database's log through Compose, or the serve log of a detached stack (all
 * functions, or one; by level or request id), printed once or followed as it grows.
 */
import { createReadStream, existsSync, statSync, unwatchFile, watchFile } from 'node:fs';
import { findFunction } from '../config/find-function.js';
import type { ResolvedProject } from '../config/resolved-project.js';
import { eventMatches, type LogEvent, type LogFilter } from '../emulator/index.js';
import { UserError } from '../errors.js';
import { runComposeAttached } from './compose/compose-cli.js';
import { composeFor } from './compose/compose-for.js';
import { databaseService } from './compose/stack-file.js';
import { serveLogEvent } from './serve-log-line.js';
import { serveLogFile } from './state-file.js';

/** Compose prints the database's log straight to this terminal; returns the Compose project. */
export async function showDatabaseLogs(project: ResolvedProject, follow: boolean): Promise<string> {
  const compose = await composeFor(project);
  await runComposeAttached(compose, [
    'logs',
    '--no-color',
    ...(follow ? ['-f'] : []),
    databaseService,
  ]);
  return compose.name;
}

/** The serve log to read, after checking that the function exists and that there is a log. */
export function serveLogFor(project: ResolvedProject, functionName: string | undefined): string {
  if (functionName) findFunction(project, functionName, databaseService);
  const file = serveLogFile(project.root);
  if (!existsSync(file))
    throw new UserError(`no log file at ${file}`, {
      hint: 'Start the stack with `lbuild serve --detach` first (a foreground `lbuild serve` prints its logs itself).',
    });
  return file;
}

export interface TailOptions {
  /** Only matching events (lines that are no event are left out once anything is asked for). */
  filter: LogFilter;
  /** Each line kept, with the event it holds (undefined: a line that is no event). */
  onLine(line: string, event: LogEvent | undefined): void;
  /** Keep reading new lines until this resolves; without it, read what is there and return. */
  followUntil?: Promise<void>;
}

export async function tailServeLog(file: string, options: TailOptions): Promise<void> {
  const { filter } = options;
  const filtering = Object.values(filter).some((value) => value !== undefined);
  let offset = 0;
  let partial = '';
  const emit = (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const event = serveLogEvent(line);
      if (!filtering || (event && eventMatches(event, filter))) options.onLine(line, event);
    }
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
  if (!options.followUntil) return;
  watchFile(file, { interval: 250 }, () => void readMore());
  await options.followUntil;
  unwatchFile(file);
}
