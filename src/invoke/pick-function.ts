import type { ResolvedFunction, ResolvedProject } from '../config/load.js';
import { findFunction } from '../config/find-function.js';
import { UserError } from '../errors.js';

/** The function to invoke: the one named, or the project's only one. */
export function pickFunction(project: ResolvedProject, name: string | undefined): ResolvedFunction {
  const fn = pickAny(project, name);
  // As Lambda's Invoke API refuses them: a web function is an HTTP server, not a handler.
  if (fn.kind === 'web')
    throw new UserError(`${fn.name} is a web function: it cannot be invoked with an event`, {
      hint: `Send it HTTP requests instead: \`lbuild serve\` gives it an endpoint on 127.0.0.1:${fn.web!.port}.`,
    });
  return fn;
}

function pickAny(project: ResolvedProject, name: string | undefined): ResolvedFunction {
  if (!name) {
    if (project.functions.length === 1) return project.functions[0]!;
    throw new UserError(
      `${project.name} has ${project.functions.length} functions: say which to invoke`,
      {
        hint: `lbuild invoke <function>, one of: ${project.functions.map((f) => f.name).join(', ')}.`,
      },
    );
  }
  return findFunction(project, name, 'any module.func in the package, with --handler');
}
