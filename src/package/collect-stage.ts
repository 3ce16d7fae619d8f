/** The collect stage: the project's source files, minus ignored ones and this run's own outputs. */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ResolvedProject } from '../config/load.js';
import { sourceFilterFor } from './ignore-rules.js';
import { collectSources, type SourceFile } from './collect-sources.js';
import type { PackageRun } from './run-context.js';

/** `outputs`: files this run writes; when they lie inside the project they must not be packaged. */
export async function collectStage(
  project: ResolvedProject,
  run: PackageRun,
  outputs: string[],
): Promise<SourceFile[]> {
  const done = run.reporter.stage('collect', project.root);
  const sourceRoot = resolve(project.root, project.package.sourceDir);
  const ownOutput = outputs.flatMap((path) => {
    const inside = relative(sourceRoot, path);
    return inside.startsWith('..') || isAbsolute(inside) ? [] : [`/${inside.split(sep).join('/')}`];
  });
  const filter = sourceFilterFor(project, ownOutput);
  const sourceFiles = await collectSources(sourceRoot, filter);
  run.stages.collect = done();
  return sourceFiles;
}
