/**
 * Looking a function up by name (`lbuild invoke <fn>`, `lbuild logs <fn>`, database.init): one
 * lookup, one error that names the functions the project does have.
 */
import { UserError } from '../errors.js';
import type { ResolvedFunction, ResolvedProject } from './resolved-project.js';

export class UnknownFunctionError extends UserError {
  constructor(
    readonly functionName: string,
    readonly projectName: string,
    readonly known: string[],
    /** What else the command accepts in place of a function name (`db` for `lbuild logs`). */
    alternative?: string,
  ) {
    super(`no function named "${functionName}" in ${projectName}`, {
      hint: `Functions: ${known.join(', ')}${alternative ? ` (or ${alternative})` : ''}.`,
    });
  }
}

export function findFunction(
  project: Pick<ResolvedProject, 'name' | 'functions'>,
  name: string,
  alternative?: string,
): ResolvedFunction {
  const fn = project.functions.find((f) => f.name === name);
  if (!fn)
    throw new UnknownFunctionError(
      name,
      project.name,
      project.functions.map((f) => f.name),
      alternative,
    );
  return fn;
}
