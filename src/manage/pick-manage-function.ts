/**
 * Whose environment a management command runs in: --function, else the function that serves the
 * Django app (its wsgi: handler), else the project's only function.
 */
import { findFunction } from '../config/find-function.js';
import type { ResolvedFunction, ResolvedProject } from '../config/load.js';
import { UserError } from '../errors.js';

export function pickManageFunction(
  project: ResolvedProject,
  name: string | undefined,
): ResolvedFunction {
  const fn = name ? findFunction(project, name) : defaultFunction(project);
  if (fn.runtime.language !== 'python')
    throw new UserError(
      `lbuild manage runs Django management commands, but function ${fn.name} runs ${fn.runtime.name}`,
      { hint: 'Pick a Python function with --function <name>.' },
    );
  return fn;
}

function defaultFunction(project: ResolvedProject): ResolvedFunction {
  if (project.functions.length === 1) return project.functions[0]!;
  const wsgi = project.functions.filter((f) => f.handler.startsWith('wsgi:'));
  if (wsgi.length === 1) return wsgi[0]!;
  const names = project.functions.map((f) => f.name).join(', ');
  throw new UserError(
    `${project.name} has ${project.functions.length} functions and ${wsgi.length === 0 ? 'none' : wsgi.length} with a wsgi: handler: say whose environment the command runs in`,
    { hint: `lbuild manage --function <name> <command>, one of: ${names}.` },
  );
}
