/** loadProject for commands: the project's warnings (a deprecated or preview runtime) are said once. */
import { loadProject, type ConfigOverrides, type ResolvedProject } from '../config/load.js';
import type { Reporter } from '../log.js';

export function loadProjectFor(
  dir: string,
  overrides: ConfigOverrides,
  reporter: Reporter,
): ResolvedProject {
  const project = loadProject(dir, overrides);
  for (const warning of project.warnings) reporter.warn(warning);
  return project;
}
