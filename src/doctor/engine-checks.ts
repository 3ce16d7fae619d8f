/**
 * What `lbuild doctor` asks the Docker engine: whether it answers at all, and how container workers
 * will reach their Runtime API through it.
 */
import type Docker from 'dockerode';
import { connectEngine } from '../docker/engine.js';
import { runtimeApiPlacement } from '../emulator/workers/container/bridge-address.js';
import type { Check } from './check.js';

/** The engine's check, and the client to ask it more when it answered. */
export async function engineCheck(): Promise<{ check: Check; docker: Docker | undefined }> {
  try {
    const engine = await connectEngine();
    return {
      docker: engine.docker,
      check: {
        name: 'docker engine',
        ok: true,
        detail: `${engine.info.serverVersion} at ${engine.info.endpoint}, API ${engine.info.apiVersion}, ${engine.info.os}/${engine.info.arch}`,
      },
    };
  } catch (error) {
    return {
      docker: undefined,
      check: {
        name: 'docker engine',
        ok: false,
        detail: (error as Error).message,
        fix: (error as { hint?: string }).hint ?? 'Start a Docker engine.',
      },
    };
  }
}

/** How container workers will reach their Runtime API: worth knowing when they cannot. */
export async function workerNetworkCheck(docker: Docker): Promise<Check> {
  const placement = await runtimeApiPlacement(docker).catch(() => undefined);
  return placement
    ? {
        name: 'worker network',
        ok: true,
        detail: placement.localSockets
          ? `containers reach the Runtime API on ${placement.advertisedHost} (the bridge), lbuild's bootstraps over a mounted Unix socket`
          : `containers reach the Runtime API at ${placement.advertisedHost} (forwarded to 127.0.0.1); no socket mounts (the engine does not share this host's kernel)`,
      }
    : {
        name: 'worker network',
        ok: false,
        detail: 'the bridge network could not be inspected',
        fix: 'Check that the engine has its default bridge network (`docker network inspect bridge`).',
      };
}
