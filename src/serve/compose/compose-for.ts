/**
 * A project's Compose settings, written once here for `serve`, `down` and `logs`: the generated
 * file (database service when configured) plus the user's lbuild.compose.yml.
 */
import type { ResolvedProject } from '../../config/resolved-project.js';
import { imageSourceFromEnv, type ImageSource } from '../../runtimes/images.js';
import { databaseSettings } from '../database.js';
import type { ComposeProject } from './compose-cli.js';
import { writeStack, type DatabaseSettings } from './stack-file.js';

export function databaseFor(
  project: ResolvedProject,
  source: ImageSource = imageSourceFromEnv(),
): DatabaseSettings | undefined {
  return project.database ? databaseSettings(project.database, source) : undefined;
}

export function composeFor(
  project: ResolvedProject,
  source: ImageSource = imageSourceFromEnv(),
): Promise<ComposeProject> {
  return writeStack(project.root, project.name, databaseFor(project, source));
}
