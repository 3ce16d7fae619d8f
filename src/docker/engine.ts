/**
 * Connecting to the Docker engine: DOCKER_HOST (unix://, tcp://, with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH)
 * or the default socket, then pinning the API version to what both sides speak so engines as old as
 * API 1.41 (Docker 20.10) work.
 */
import Docker from 'dockerode';
import { DockerUnavailableError } from '../errors.js';
import { removeOrphanedCodeImages, removeOrphanedContainers } from './orphans.js';

/** Newest API version lbuild was written against; older engines are pinned to their own. */
const newestSupportedApi = '1.45';
/** Oldest API we accept: Docker 20.10. */
const oldestSupportedApi = '1.41';

export interface EngineInfo {
  endpoint: string;
  apiVersion: string;
  serverVersion: string;
  os: string;
  arch: string;
  /** Containers of killed lbuild processes on this machine, removed on connecting. */
  orphansRemoved: number;
}

export function describeEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST && env.DOCKER_HOST !== ''
    ? env.DOCKER_HOST
    : 'unix:///var/run/docker.sock';
}

export function compareApiVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

export function negotiateApiVersion(engineApi: string): string {
  return compareApiVersions(engineApi, newestSupportedApi) < 0 ? engineApi : newestSupportedApi;
}

function unavailable(endpoint: string, cause: unknown): DockerUnavailableError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DockerUnavailableError(`cannot reach the Docker engine at ${endpoint} (${reason})`, {
    cause,
    hint:
      'Start a Docker engine and try again: `sudo systemctl start docker` (Linux with systemd), ' +
      '`sudo dockerd &` (Linux without systemd; install with `apt-get install docker.io`), or open Docker Desktop (macOS/Windows). ' +
      'For a remote engine set DOCKER_HOST, e.g. DOCKER_HOST=tcp://host:2376 with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH. ' +
      'Run `lbuild doctor` to check.',
  });
}

/** Connect, check the engine answers, and return a client pinned to a version both sides speak. */
export async function connectEngine(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ docker: Docker; info: EngineInfo }> {
  const endpoint = describeEndpoint(env);
  let probe: Docker;
  try {
    // Unversioned requests are answered by every engine: use one to learn the engine's API version.
    probe = new Docker();
  } catch (error) {
    throw unavailable(endpoint, error);
  }
  let version: Docker.DockerVersion;
  try {
    version = await withTimeout(probe.version(), 5000, 'no answer within 5 s');
  } catch (error) {
    throw unavailable(endpoint, error);
  }
  if (compareApiVersions(version.ApiVersion, oldestSupportedApi) < 0) {
    throw new DockerUnavailableError(
      `the Docker engine at ${endpoint} speaks API ${version.ApiVersion}; lbuild needs ${oldestSupportedApi} or newer`,
      { hint: 'Upgrade the engine to Docker 20.10 or newer.' },
    );
  }
  const apiVersion = negotiateApiVersion(version.ApiVersion);
  const docker = new Docker({ version: `v${apiVersion}` });
  // Best effort: what a killed lbuild left must not block or fail this run.
  const orphansRemoved = (await removeOrphanedContainers(docker).catch(() => [])).length;
  // After the containers: the images they ran are free now.
  await removeOrphanedCodeImages(docker).catch(() => undefined);
  return {
    docker,
    info: {
      endpoint,
      apiVersion,
      serverVersion: version.Version,
      os: version.Os,
      arch: version.Arch,
      orphansRemoved,
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
