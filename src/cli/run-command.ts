/**
 * Wraps each command's action: installs Ctrl-C cleanup, renders the result or the error once, and
 * sets the exit code. Commands return a value; they never print errors or exit themselves.
 */
import { cleanupAll, installSignalCleanup } from '../docker/cleanup.js';
import { ExitCode } from '../errors.js';
import { renderError } from './render-error.js';
import { commandWarnings } from './reporter-for.js';

export interface CommandOutcome {
  /** Printed on stdout as JSON with --json. */
  result: unknown;
  /** Printed on stderr for humans (without --json). */
  summary?: string;
  exitCode?: number;
}

export async function runCommand(
  json: boolean,
  action: () => Promise<CommandOutcome>,
): Promise<void> {
  installSignalCleanup((signal) =>
    process.stderr.write(`\n${signal}: stopping and removing lbuild's containers...\n`),
  );
  try {
    const outcome = await action();
    if (json) process.stdout.write(`${JSON.stringify(withWarnings(outcome.result), null, 2)}\n`);
    if (outcome.summary) process.stderr.write(`${outcome.summary}\n`);
    process.exitCode = outcome.exitCode ?? ExitCode.ok;
  } catch (error) {
    process.exitCode = renderError(error, { json }).exitCode;
  } finally {
    await cleanupAll();
  }
}

/** A JSON report carries the command's warnings, so a CI step sees what a terminal user read. */
function withWarnings(result: unknown): unknown {
  if (
    commandWarnings.length === 0 ||
    typeof result !== 'object' ||
    result === null ||
    Array.isArray(result)
  )
    return result;
  return { ...result, warnings: [...commandWarnings] };
}
