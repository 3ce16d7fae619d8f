import type { ResolvedFunction, ResolvedProject } from '../config/load.js';
import { findFunction } from '../config/find-function.js';
import { UserError } from '../errors.js';

/** The function to invoke: the one named, or the project's only one. */
export function pickFunction(project: ResolvedProject, name: string | undefined): ResolvedFunction {
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
