/**
 * Everything the outputs (zip, layer, image) are made from, shared by `lbuild package` and
 * `lbuild package --format image`: the sources and the installed tree.
 */
import type { ResolvedProject } from '../config/load.js';
import type { SourceFile } from './collect-sources.js';
import { collectStage } from './collect-stage.js';
import { dependencyStages, type InstalledDependencies } from './dependency-stage.js';
import { envOverrideWarnings } from './pip-sources/env-overrides.js';
import { findPipSources } from './pip-sources/find-sources.js';
import { sourceOnlyPaths } from './pip-sources/source-only-paths.js';
import type { PackageRun } from './run-context.js';

export interface PreparedContents extends InstalledDependencies {
  sourceFiles: SourceFile[];
}

/** `outputs`: files this run writes; when they lie inside the project they must not be packaged. */
export async function prepareContents(
  project: ResolvedProject,
  run: PackageRun,
  outputs: string[],
): Promise<PreparedContents> {
  const dependencies = project.package.dependencies;
  // Read once: the sources go to the build container and stay out of the zip.
  const pip =
    dependencies && findPipSources(project.root, dependencies, project.package.installArgs);
  for (const warning of pip ? envOverrideWarnings(project.root, pip) : []) run.warn(warning);
  const sourceFiles = await collectStage(
    project,
    run,
    outputs,
    pip ? sourceOnlyPaths(project.root, pip) : [],
  );
  // One top-level stage for everything the dependencies cost (inputs, image, cache, install, slim).
  const installed = await run.clock.time('dependencies', () => dependencyStages(project, run, pip));
  return { sourceFiles, ...installed };
}
