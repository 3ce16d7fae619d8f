/**
 * The invocation with no stack running: package the project (cache permitting) and run the function
 * once in a fresh container worker of an in-process emulator.
 */
import { join } from 'node:path';
import type { ResolvedFunction, ResolvedProject } from '../config/load.js';
import { connectEngine } from '../docker/engine.js';
import { startEmulator } from '../emulator/index.js';
import { silentReporter } from '../log.js';
import { packageProject } from '../package/package-project.js';
import type { InvokeOptions, InvokeResult } from './invoke-types.js';
import { fromOutcome } from './outcome-result.js';

export async function invokeInContainer(
  project: ResolvedProject,
  fn: ResolvedFunction,
  options: InvokeOptions,
): Promise<InvokeResult> {
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
  const emulator = await startEmulator({
    functions: [fn],
    codeDir: project.root,
    codeZip: report.zip,
    project: project.name,
    workerKind: 'container',
    docker,
  });
  try {
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
