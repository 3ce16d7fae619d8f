/** The `--debug` flags shared by `lbuild serve` and `lbuild invoke`: parsed here, printed here. */
import type { Command } from 'commander';
import type { DebugRequest } from '../debug/debug-plan.js';
import { launchJson, type LaunchConfiguration } from '../debug/launch-config.js';
import { UserError } from '../errors.js';

export interface DebugFlags {
  debug?: boolean | string;
  debugPort?: string;
  debugWait?: boolean;
  debugConfig?: string;
}

/** `functionsValue`: serve takes `--debug[=fn,fn]`; invoke's `--debug` is for its one function. */
export function addDebugOptions(command: Command, functionsValue: boolean): Command {
  return command
    .option(
      functionsValue ? '--debug [functions]' : '--debug',
      functionsValue
        ? 'run the functions (all, or --debug=a,b) under a debugger: Node inspector / debugpy on 127.0.0.1; timeouts suspended, concurrency 1'
        : 'run the function under a debugger (Node inspector / debugpy on 127.0.0.1); its timeout is suspended',
    )
    .option('--debug-port <port>', 'first debugger port (default 9229 Node, 5678 Python; then +1)')
    .option('--debug-wait', 'hold the runtime until a debugger attaches (--inspect-brk)')
    .option('--debug-config <file>', 'also write the VS Code launch configurations (launch.json)');
}

export function debugRequest(flags: DebugFlags): DebugRequest | undefined {
  if (!flags.debug) {
    if (flags.debugPort || flags.debugWait || flags.debugConfig)
      throw new UserError('--debug-port, --debug-wait and --debug-config need --debug', {
        hint: 'Add --debug (and, for serve, --debug=<function> to debug only some functions).',
      });
    return undefined;
  }
  const port = flags.debugPort === undefined ? undefined : Number(flags.debugPort);
  if (port !== undefined && !Number.isInteger(port))
    throw new UserError(`--debug-port ${flags.debugPort} is not a port number`, {
      hint: 'Give a TCP port, e.g. --debug-port 9230.',
    });
  const names =
    typeof flags.debug === 'string'
      ? flags.debug
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean)
      : [];
  return {
    functions: names.length > 0 ? names : true,
    ...(port !== undefined ? { port } : {}),
    wait: flags.debugWait ?? false,
  };
}

/** The human lines: where each debugger listens, and the launch.json to attach with. */
export function debugSummary(
  notes: string[],
  configurations: LaunchConfiguration[],
  written: string | undefined,
): string[] {
  return [
    '  debugging:',
    ...notes.map((note) => `    ${note}`),
    written
      ? `  VS Code launch configurations written to ${written}:`
      : '  VS Code launch configurations (.vscode/launch.json; --debug-config <file> writes them):',
    ...JSON.stringify(launchJson(configurations), null, 2)
      .split('\n')
      .map((line) => `    ${line}`),
  ];
}
