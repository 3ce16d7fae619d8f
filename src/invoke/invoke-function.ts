/**
 * `lbuild invoke`: run one function once, like `zappa invoke` — migrations, seeding, one-off jobs.
 * With a stack from `lbuild serve` running, the invocation goes to its Invoke API (same network, same
 * DATABASE_URL); otherwise the project is packaged (cache permitting) and run in a fresh container.
 */
import type { ResolvedFunction, ResolvedProject } from '../config/load.js';
import { functionTimeout, timedOutMessage } from '../config/timeout-advice.js';
import { runningStack } from '../serve/state-file.js';
import type { InvokeOptions, InvokeResult } from './invoke-types.js';
import { pickFunction } from './pick-function.js';
import { invokeInContainer } from './via-container.js';
import { invokeViaStack } from './via-stack.js';

export async function invokeFunction(
  project: ResolvedProject,
  options: InvokeOptions,
): Promise<InvokeResult> {
  const fn = pickFunction(project, options.functionName);
  // A debugger needs a worker started for it: the stack's workers run without one.
  const stack = options.fresh || options.debug ? undefined : runningStack(project.root);
  // A handler override needs a worker of its own: the stack's workers run the configured one.
  const result =
    stack && !options.handler
      ? await invokeViaStack(stack.invokeUrl, fn.name, options.payload)
      : await invokeInContainer(project, fn, options);
  return withTimeoutAdvice(result, fn);
}

/** A timed-out invocation says how long it ran and which key raises the timeout. */
function withTimeoutAdvice(result: InvokeResult, fn: ResolvedFunction): InvokeResult {
  if (result.errorType !== 'Sandbox.Timedout') return result;
  const setting = functionTimeout(fn);
  return {
    ...result,
    timedOut: {
      seconds: setting.seconds,
      key: setting.key,
      message: timedOutMessage(fn.name, setting),
    },
  };
}
