import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { allowPreviewFlag } from '../../runtimes/lookup.js';
import { loadProjectFor } from '../load-project.js';
import { UserError } from '../../errors.js';
import { invokeFunction, type InvokeResult } from '../../invoke/index.js';
import { reporterFor } from '../reporter-for.js';
import { runCommand } from '../run-command.js';
import { addDebugOptions, debugRequest, debugSummary, type DebugFlags } from '../debug-flags.js';
import { launchJson, writeLaunchJson } from '../../debug/launch-config.js';
import type { InvokeDebug } from '../../invoke/invoke-types.js';

interface InvokeFlags extends DebugFlags {
  dir: string;
  event?: string;
  payload?: string;
  handler?: string;
  runtime?: string;
  allowPreview?: boolean;
  fresh?: boolean;
  json?: boolean;
  verbose?: boolean;
}

export function registerInvoke(program: Command): void {
  const command = program
    .command('invoke')
    .description(
      'run a function once (migrations, seeding, one-off jobs), in the running stack if there is one',
    )
    .argument('[function]', 'function name (optional for one-function projects)')
    .option('--dir <dir>', 'project folder', '.')
    .option('--event <file>', 'event JSON file, or - for stdin')
    .option('--payload <json>', 'event JSON inline')
    .option(
      '--handler <module.func>',
      'run any handler in the package instead of the configured one',
    )
    .option('--runtime <runtime>', 'zero-config: the runtime when there is no lbuild.json')
    .option(
      allowPreviewFlag,
      'accept a preview runtime (python3.15, nodejs26.x): not for production',
    )
    .option('--fresh', 'use a fresh container even if `lbuild serve` is running')
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'show build output');
  addDebugOptions(command, false).action(async (fn: string | undefined, flags: InvokeFlags) => {
    await runCommand(flags.json ?? false, async () => {
      const reporter = reporterFor(flags);
      const project = loadProjectFor(
        flags.dir,
        {
          allowPreview: flags.allowPreview,
          ...(flags.runtime ? { runtime: flags.runtime } : {}),
          // Zero-config: with no lbuild.json, --handler defines the one function.
          ...(flags.runtime && flags.handler ? { handler: flags.handler } : {}),
        },
        reporter,
      );
      const debug = debugRequest(flags);
      let launch: InvokeDebug | undefined;
      const result = await invokeFunction(project, {
        ...(debug
          ? {
              debug,
              onDebugReady: async (ready: InvokeDebug) => {
                launch = ready;
                await announceDebugger(ready, flags.debugConfig);
              },
            }
          : {}),
        payload: readPayload(flags),
        reporter,
        fresh: flags.fresh ?? false,
        ...(fn ? { functionName: fn } : {}),
        ...(flags.handler && !flags.runtime ? { handler: flags.handler } : {}),
      });
      return {
        result: launch
          ? {
              ...result,
              debug: { target: launch.target, launch: launchJson(launch.configurations) },
            }
          : result,
        summary: summarize(result),
        exitCode: result.status === 'succeeded' ? 0 : 1,
      };
    });
  });
}

/** Before the invocation runs: where to attach (stderr, so --json's stdout stays one document). */
async function announceDebugger(ready: InvokeDebug, file: string | undefined): Promise<void> {
  if (file) await writeLaunchJson(file, ready.configurations);
  const hint = ready.target.wait
    ? '  the function waits for a debugger to attach'
    : '  the invocation starts now; add --debug-wait to hold it until a debugger attaches';
  process.stderr.write(
    `${[...debugSummary([ready.note], ready.configurations, file), hint].join('\n')}\n`,
  );
}

function readPayload(flags: InvokeFlags): Buffer {
  if (flags.event && flags.payload)
    throw new UserError('--event and --payload both given', { hint: 'Use one of them.' });
  const text =
    flags.payload ??
    (flags.event === '-'
      ? readFileSync(0, 'utf8')
      : flags.event
        ? readFileSync(flags.event, 'utf8')
        : '{}');
  try {
    JSON.parse(text);
  } catch (error) {
    throw new UserError(`the event is not valid JSON (${(error as Error).message})`, {
      hint: 'Pass a JSON object, e.g. --payload \'{"name": "x"}\'.',
    });
  }
  return Buffer.from(text);
}

function summarize(result: InvokeResult): string {
  const lines = [...result.logs.map((l) => `  │ ${l}`)];
  if (result.timedOut) {
    lines.push(`✗ ${result.timedOut.message}`);
    return lines.join('\n');
  }
  lines.push(
    result.status === 'succeeded'
      ? `✔ ${result.functionName} returned:`
      : `✗ ${result.functionName} failed (${result.errorType}):`,
  );
  lines.push(
    typeof result.result === 'string' ? result.result : JSON.stringify(result.result, null, 2),
  );
  return lines.join('\n');
}
