/**
 * Docker tests run when an engine answers, are skipped when it does not, and fail instead of
 * skipping when LBUILD_REQUIRE_DOCKER is set (CI), so a missing engine can never pass silently.
 */
import { offlineImage } from '../../../src/runtimes/images.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import type Docker from 'dockerode';
import { connectEngine } from '../../../src/docker/engine.js';

export interface DockerGate {
  docker: Docker | undefined;
  /** Why Docker tests are skipped, when they are. */
  skipReason: string | undefined;
}

export async function dockerGate(): Promise<DockerGate> {
  try {
    const { docker } = await connectEngine();
    return { docker, skipReason: undefined };
  } catch (error) {
    if (process.env.LBUILD_REQUIRE_DOCKER) {
      throw new Error(
        `LBUILD_REQUIRE_DOCKER is set but no Docker engine answers: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return { docker: undefined, skipReason: (error as Error).message };
  }
}

/** The first of these image tags that exists (stand-ins are retagged per architecture later). */
export async function pickImage(docker: Docker, candidates: string[]): Promise<string> {
  for (const tag of candidates) {
    try {
      await docker.getImage(tag).inspect();
      return tag;
    } catch {
      // try the next
    }
  }
  throw new Error(
    `none of the images ${candidates.join(', ')} exists: build the offline stand-ins first (lbuild images build, LBUILD_IMAGE_SOURCE=offline)`,
  );
}

export const offlinePythonRun = [offlineImage(findRuntime('python3.11'), 'run', 'x86_64')];
export const offlineNodeRun = [offlineImage(findRuntime('nodejs18.x'), 'run', 'x86_64')];
