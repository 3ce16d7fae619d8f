/**
 * The invocation with no stack running: package the project (cache permitting) and run the function
 * once in a fresh container worker of an in-process emulator.
 */
import { join, resolve } from 'node:path';
import { debugNotes, planDebug } from '../debug/debug-plan.js';
import { launchConfigurations } from '../debug/launch-config.js';
import { ensurePythonDebugLayer } from '../debug/python-debug-layer.js';
import { imageSourceFromEnv } from '../runtimes/images.js';
import type { ResolvedFunction, ResolvedProject } from '../config/load.js';
import { connectEngine } from '../docker/engine.js';
import { startEmulator } from '../emulator/index.js';
import { silentReporter } from '../log.js';
import { packageProject } from '../package/package-project.js';
import type { InvokeOptions, InvokeResult } from './invoke-types.js';
import { fromOutcome } from './outcome-result.js';

export async function invokeInContainer(
  project: ResolvedProject,
  configured: ResolvedFunction,
  options: InvokeOptions,
): Promise<InvokeResult> {
  const debug = options.debug
    ? planDebug([configured], { ...options.debug, functions: [configured.name] })
    : undefined;
  const fn = debug?.functions[0] ?? configured;
  const reporter = options.reporter ?? silentReporter;
  const docker = options.docker ?? (await connectEngine()).docker;
  const report = await packageProject(project, {
    docker,
    reporter,
    out: join(project.root, '.lbuild', 'invoke', `${project.name}.zip`),
  });
  const done = reporter.stage(
    'invoke',
    `${fn.name}${options.handler ? ` (${options.handler})` : ''}`,
  );
  const source = imageSourceFromEnv();
  const debugLayer =
    fn.runtime.language === 'python'
      ? (f: ResolvedFunction) =>
          ensurePythonDebugLayer(docker, f.runtime, f.architecture, source, (line) =>
            reporter.info(`  ${line}`),
          )
      : undefined;
  if (debug && debugLayer) await debugLayer(fn);
  const emulator = await startEmulator({
    ...(debug && debugLayer ? { debugLayer } : {}),
    functions: [fn],
    codeDir: project.root,
    codeZip: report.zip,
    project: project.name,
    workerKind: 'container',
    docker,
  });
  try {
    const target = debug?.targets[0];
    if (target)
      await options.onDebugReady?.({
        target,
        configurations: launchConfigurations(
          [target],
          resolve(project.root, project.package.sourceDir),
        ),
        note: debugNotes([target])[0]!,
      });
    const outcome = await emulator.invoker.invoke({
      functionName: fn.name,
      payload: options.payload,
      ...(options.handler ? { handlerOverride: options.handler } : {}),
    });
    done();
    return fromOutcome(fn.name, outcome);
  } finally {
    await emulator.close();
  }
}
