/**
 * Offline stand-in images for machines with no container registry: a Debian root file system per
 * release (bookworm, trixie, forky) bootstrapped from the machine's apt mirror and imported into
 * the engine, then each runtime's build and run image on top (offline-plan.ts says which). Only the
 * images asked for are made, independent ones in parallel, each cached by a hash of what makes it.
 */
import type Docker from 'dockerode';
import type { Reporter } from '../log.js';
import type { Architecture, RuntimeInfo } from '../runtimes/catalog.js';
import { ensureBuildImage } from './build-image.js';
import { limiter } from './limiter.js';
import { ensureBase } from './offline-base.js';
import { planStandIns, releasesOf } from './offline-plan.js';
import { buildStandIn } from './stand-in-build.js';

/** Image builds at once: apt downloads overlap well, compilers do not, on a 2-core machine. */
const parallelBuilds = 3;

export interface OfflineBuildResult {
  built: string[];
  present: string[];
}

export interface StandInRequest {
  runtimes: readonly RuntimeInfo[];
  arch: Architecture;
  postgres: boolean;
  force?: boolean;
}

/** Make sure the stand-ins of these runtimes (and Postgres, if asked) exist, building what is missing. */
export async function ensureStandIns(
  docker: Docker,
  request: StandInRequest,
  reporter: Reporter,
): Promise<OfflineBuildResult> {
  const { arch } = request;
  const force = request.force ?? false;
  const result: OfflineBuildResult = { built: [], present: [] };
  const images = planStandIns(request.runtimes, arch, { postgres: request.postgres });
  // Bootstraps are network- and disk-bound: all releases at once.
  await Promise.all(
    releasesOf(images).map((debian) => ensureBase(docker, debian, arch, reporter, result, force)),
  );
  // Each image waits for the one it starts from (when that is in the plan), then for a free slot.
  const slot = limiter(parallelBuilds);
  const hashes = new Map<string, Promise<string>>();
  for (const image of images) {
    const fromHash = hashes.get(image.from) ?? Promise.resolve('');
    hashes.set(
      image.tag,
      fromHash.then((parent) =>
        slot(async () => {
          const { hash, outcome } = await buildStandIn(
            docker,
            image,
            arch,
            parent,
            reporter,
            force,
          );
          result[outcome].push(image.tag);
          // lbuild's own build image on top, so the first `lbuild package` starts at once.
          if (image.runtime)
            result.present.push(
              (
                await ensureBuildImage(docker, image.runtime, arch, 'offline', reporter, {
                  rebuild: force,
                })
              ).tag,
            );
          return hash;
        }),
      ),
    );
  }
  // Wait for every build; the first failure is reported once the others have settled.
  const settled = await Promise.allSettled(hashes.values());
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return result;
}
