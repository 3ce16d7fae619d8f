/**
 * Whether the images lbuild will run are at hand: the official AWS ones are pulled on first use;
 * the offline stand-ins must have been built (`lbuild images build --offline`).
 */
import type Docker from 'dockerode';
import { imageId } from '../docker/images.js';
import {
  imageSourceFromEnv,
  lbuildBuildImage,
  offlineImage,
  offlinePostgresImage,
  standInRuntimes,
} from '../runtimes/images.js';
import type { Check } from './check.js';

export async function imagesCheck(docker: Docker): Promise<Check> {
  if (imageSourceFromEnv() === 'aws') {
    return {
      name: 'images',
      ok: true,
      detail:
        'official AWS images, pulled on first use (set LBUILD_IMAGE_SOURCE=offline where no registry is reachable)',
    };
  }
  const rows = await standInPresence(docker);
  const missing = rows.filter((r) => !r.present).map((r) => r.runtime);
  const postgres = Boolean(await imageId(docker, offlinePostgresImage('x86_64')));
  return missing.length === 0 && postgres
    ? {
        name: 'images',
        ok: true,
        detail: `offline stand-ins present for ${rows.map((r) => r.runtime).join(', ')} and Postgres`,
      }
    : {
        name: 'images',
        ok: false,
        detail: `offline stand-ins missing for ${[...missing, ...(postgres ? [] : ['Postgres'])].join(', ')}`,
        fix: `lbuild images build --offline${missing.length > 0 && missing.length < rows.length ? ` --runtime ${missing.join(' ')}` : ''}`,
      };
}

/** Whether each stand-in runtime's build and run images are on the engine (x86_64). */
async function standInPresence(
  docker: Docker,
): Promise<Array<{ runtime: string; present: boolean }>> {
  return Promise.all(
    standInRuntimes().map(async (runtime) => {
      const tags = [
        lbuildBuildImage(runtime, 'x86_64', 'offline'),
        offlineImage(runtime, 'run', 'x86_64'),
      ];
      const ids = await Promise.all(tags.map((tag) => imageId(docker, tag)));
      return { runtime: runtime.name, present: ids.every(Boolean) };
    }),
  );
}
