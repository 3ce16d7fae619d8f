/**
 * Which image builds or runs a runtime: the official AWS images, or the offline stand-ins when
 * LBUILD_IMAGE_SOURCE=offline (no registry reachable, as in this project's CI). Every image name
 * lbuild makes is spelled here.
 */
import { UserError } from '../errors.js';
import {
  runtimes,
  type Architecture,
  type DebianRelease,
  type RuntimeInfo,
  type StandIn,
  type SystemPackageManager,
} from './catalog.js';

export type ImageSource = 'aws' | 'offline';
export type ImageRole = 'build' | 'run';

export function imageSourceFromEnv(env: NodeJS.ProcessEnv = process.env): ImageSource {
  const value = env.LBUILD_IMAGE_SOURCE;
  if (value === undefined || value === '' || value === 'aws') return 'aws';
  if (value === 'offline') return 'offline';
  throw new UserError(`LBUILD_IMAGE_SOURCE="${value}" is not a known image source`, {
    hint: 'Set LBUILD_IMAGE_SOURCE to "aws" (official images, the default) or "offline" (local Debian stand-ins).',
  });
}

/** The Debian root file system a stand-in starts from, e.g. lbuild/offline-base:forky-x86_64. */
export const offlineBaseImage = (debian: DebianRelease, arch: Architecture) =>
  `lbuild/offline-base:${debian}-${arch}`;

/** The offline stand-in for the official postgres image (Debian bookworm's PostgreSQL 15). */
export const offlinePostgresImage = (arch: Architecture) =>
  `lbuild/offline-postgres:bookworm-${arch}`;

export const standInRuntimes = (): RuntimeInfo[] => runtimes.filter((r) => r.standIn);

/** Tag of a runtime's offline stand-in, e.g. lbuild/offline-python3.14-build:forky-x86_64. */
export function offlineImage(runtime: RuntimeInfo, role: ImageRole, arch: Architecture): string {
  assertStandIn(runtime);
  return `lbuild/offline-${runtime.name}-${role}:${runtime.standIn.debian}-${arch}`;
}

export function assertStandIn(
  runtime: RuntimeInfo,
): asserts runtime is RuntimeInfo & { standIn: StandIn } {
  if (runtime.standIn) return;
  const covered = standInRuntimes().map((r) => r.name);
  throw new UserError(`no offline stand-in image exists for ${runtime.name}`, {
    hint: `No Debian release served here ships ${runtime.language === 'python' ? 'Python' : 'Node.js'} ${runtime.version}. Offline stand-ins cover ${covered.join(', ')}. Use one of those, or unset LBUILD_IMAGE_SOURCE to use the official AWS images.`,
  });
}

/** The base image a runtime builds or runs on, before lbuild adds its own layer. */
export function baseImageFor(
  runtime: RuntimeInfo,
  role: ImageRole,
  arch: Architecture,
  source: ImageSource,
): string {
  if (source === 'aws') return role === 'build' ? runtime.buildImage : runtime.runImage;
  return offlineImage(runtime, role, arch);
}

/** The package manager of the build image: apt on the Debian stand-ins, else the catalog's. */
export function buildImagePackageManager(
  runtime: RuntimeInfo,
  source: ImageSource,
): SystemPackageManager {
  return source === 'offline' ? 'apt' : runtime.packageManager;
}

/** lbuild's own build image: the base plus the in-container build helper (images/build/Dockerfile). */
export function lbuildBuildImage(
  runtime: RuntimeInfo,
  arch: Architecture,
  source: ImageSource,
): string {
  const suffix = source === 'offline' ? '-offline' : '';
  return `lbuild/build-${runtime.name}:${arch}${suffix}`;
}

let offlineNoticeShown = false;
/** Say once per process that stand-ins are in use, since their glibc differs from Lambda's. */
export function offlineNotice(
  source: ImageSource,
  runtime: RuntimeInfo,
  warn: (message: string) => void,
): void {
  if (source !== 'offline' || offlineNoticeShown || !runtime.standIn) return;
  offlineNoticeShown = true;
  const { debian, glibc } = runtime.standIn;
  warn(
    `LBUILD_IMAGE_SOURCE=offline: ${runtime.name} runs on a Debian ${debian} stand-in (glibc ${glibc}, newer than Lambda's ${runtime.glibc} on ${runtime.os}). Good for local work and tests; build release zips with the official images.`,
  );
}

/** The command that builds a missing offline stand-in, from its tag; undefined for other images. */
export function standInBuildCommand(tag: string): string | undefined {
  const match = /^lbuild\/offline-(?:(postgres)|(.+)-(?:build|run)):[a-z]+-(x86_64|arm64)$/.exec(
    tag,
  );
  if (!match) return undefined;
  const [, postgres, runtime, arch] = match;
  const target = postgres ? '--runtime python3.11 --postgres' : `--runtime ${runtime}`;
  return `lbuild images build --offline ${target}${arch === 'arm64' ? ' --arch arm64' : ''}`;
}
