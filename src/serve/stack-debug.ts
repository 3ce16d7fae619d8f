/**
 * `lbuild serve --debug`: the debug layer prepared before the workers start (so a failure shows at
 * start-up, not on the first request), and what the stack reports about its debuggers.
 */
import { resolve } from 'node:path';
import type { ResolvedFunction } from '../config/resolved-project.js';
import { debugNotes, type DebugTarget } from '../debug/debug-plan.js';
import { launchConfigurations, type LaunchConfiguration } from '../debug/launch-config.js';
import { ensurePythonDebugLayer } from '../debug/python-debug-layer.js';
import { defaultIntegrationTimeoutMs } from '../emulator/apigw/gateway.js';
import type { StackContext } from './stack-context.js';

export interface StackDebug {
  targets: DebugTarget[];
  /** VS Code launch configurations (launch.json's "configurations") attaching to them. */
  configurations: LaunchConfiguration[];
  /** One line per debugged function: where to attach, which limits are suspended. */
  notes: string[];
}

/** The layer getter for the emulator, after making each layer this stack needs once. */
export async function prepareDebugLayers(
  ctx: StackContext,
): Promise<((fn: ResolvedFunction) => Promise<string>) | undefined> {
  const python = ctx.functions.filter((fn) => fn.debug && fn.runtime.language === 'python');
  if (python.length === 0) return undefined;
  const layer = (fn: ResolvedFunction) =>
    ensurePythonDebugLayer(ctx.docker, fn.runtime, fn.architecture, ctx.source, (line) =>
      ctx.reporter.info(`  ${line}`),
    );
  const done = ctx.reporter.stage('debug', 'debugpy layer');
  for (const fn of python) await layer(fn);
  done();
  return layer;
}

export function stackDebug(ctx: StackContext): StackDebug | undefined {
  if (ctx.debug.length === 0) return undefined;
  const { project } = ctx;
  const integrationTimeoutSeconds = defaultIntegrationTimeoutMs(project.api.type ?? 'http') / 1000;
  return {
    targets: ctx.debug,
    configurations: launchConfigurations(
      ctx.debug,
      resolve(project.root, project.package.sourceDir),
    ),
    notes: debugNotes(ctx.debug, integrationTimeoutSeconds),
  };
}
