/**
 * `lbuild invoke`: run one function once, like `zappa invoke` — migrations, seeding, one-off jobs.
 * With a stack from `lbuild serve` running, the invocation goes to its Invoke API (same network, same
 * DATABASE_URL); otherwise the project is packaged (cache permitting) and run in a fresh container.
 */
import type { ResolvedProject } from '../config/load.js';
import { isAlive, readState } from '../serve/state-file.js';
import type { InvokeOptions, InvokeResult } from './invoke-types.js';
import { pickFunction } from './pick-function.js';
import { invokeInContainer } from './via-container.js';
import { invokeViaStack } from './via-stack.js';

export async function invokeFunction(
  project: ResolvedProject,
  options: InvokeOptions,
): Promise<InvokeResult> {
  const fn = pickFunction(project, options.functionName);
  const state = readState(project.root);
  // A handler override needs a worker of its own: the stack's workers run the configured one.
  if (!options.fresh && !options.handler && state?.ready && isAlive(state.pid))
    return invokeViaStack(state.invokeUrl, fn.name, options.payload);
  return invokeInContainer(project, fn, options);
}
