/** The collect stage: the project's source files, minus ignored ones and this run's own outputs. */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ResolvedProject } from '../config/load.js';
import { sourceFilterFor } from './ignore-rules.js';
import { collectSources, type SourceFile } from './collect-sources.js';
import type { PackageRun } from './run-context.js';
import { assertWebEntryPoints } from './web-entry-points.js';

/**
 * `outputs`: files this run writes; when they lie inside the project they must not be packaged.
 * `packageSources`: project-relative paths that only feed pip (pip-sources/source-only-paths.ts).
 */
export async function collectStage(
  project: ResolvedProject,
  run: PackageRun,
  outputs: string[],
  packageSources: string[] = [],
): Promise<SourceFile[]> {
  const done = run.stage('collect', project.root);
  const sourceRoot = resolve(project.root, project.package.sourceDir);
  const absolute = packageSources.map((path) => resolve(project.root, path));
  const ownOutput = [...outputs, ...absolute].flatMap((path) => {
    const inside = relative(sourceRoot, path);
    // Never the source root itself (`--find-links .`): that would leave everything out.
    return !inside || inside.startsWith('..') || isAbsolute(inside)
      ? []
      : [`/${inside.split(sep).join('/')}`];
  });
  const filter = sourceFilterFor(project, ownOutput);
  const sourceFiles = await collectSources(sourceRoot, filter);
  assertWebEntryPoints(project, sourceFiles);
  done();
  return sourceFiles;
}
