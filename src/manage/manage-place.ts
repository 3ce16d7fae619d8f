/**
 * Where a management command runs: with `lbuild serve` running (foreground or detached), on the
 * stack's network with the environment its workers have (DATABASE_URL of its Postgres, .env,
 * STAGE); otherwise in a fresh container on the default bridge with the function's own settings.
 */
import type { ResolvedFunction, ResolvedProject } from '../config/load.js';
import { databaseFor } from '../serve/compose/compose-for.js';
import { stackEnvironment } from '../serve/stack-environment.js';
import { runningStack } from '../serve/state-file.js';
import { imageSourceFromEnv, type ImageSource } from '../runtimes/images.js';

export interface ManagePlace {
  via: 'stack' | 'container';
  network: string | undefined;
  /** The function's environment variables there. */
  environment: Record<string, string>;
  /** The running stack's image source (its run images are there), else LBUILD_IMAGE_SOURCE's. */
  imageSource: ImageSource;
}

export function managePlace(
  project: ResolvedProject,
  fn: ResolvedFunction,
  fresh: boolean,
): ManagePlace {
  const stack = fresh ? undefined : runningStack(project.root);
  if (!stack)
    return {
      via: 'container',
      network: undefined,
      environment: fn.environment,
      imageSource: imageSourceFromEnv(),
    };
  // The same computation serve made for its workers, from the stage it was started with.
  const { functions } = stackEnvironment(project, stack.stage, databaseFor(project));
  const served = functions.find((f) => f.name === fn.name) ?? fn;
  return {
    via: 'stack',
    network: stack.network,
    environment: served.environment,
    imageSource: stack.imageSource ?? imageSourceFromEnv(),
  };
}
