/**
 * Which image builds or runs a runtime: the official AWS images, or the offline stand-ins when
 * LBUILD_IMAGE_SOURCE=offline (no registry reachable, as in this project's CI).
 */
import { UserError } from '../errors.js';
import type { Architecture, RuntimeInfo } from './catalog.js';
import { runtimes } from './catalog.js';

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

export const offlineBaseImage = (arch: Architecture) => `lbuild/offline-base:bookworm-${arch}`;

/** Tag of an offline stand-in image, e.g. lbuild/offline-python-build:bookworm-x86_64. */
export function offlineImage(family: 'python' | 'node' | 'postgres', role: ImageRole | 'db', arch: Architecture): string {
  const name = family === 'postgres' ? 'postgres' : `${family}-${role}`;
  return `lbuild/offline-${name}:bookworm-${arch}`;
}

/** The base image a runtime builds or runs on, before lbuild adds its own layer. */
export function baseImageFor(runtime: RuntimeInfo, role: ImageRole, arch: Architecture, source: ImageSource): string {
  if (source === 'aws') return role === 'build' ? runtime.buildImage : runtime.runImage;
  if (!runtime.offline) {
    const covered = runtimes.filter((r) => r.offline).map((r) => r.name);
    throw new UserError(`no offline stand-in image exists for ${runtime.name}`, {
      hint: `Offline stand-ins cover ${covered.join(' and ')} (the versions Debian 12 ships). Use one of those, or unset LBUILD_IMAGE_SOURCE to use the official AWS images.`,
    });
  }
  return offlineImage(runtime.offline, role, arch);
}

/** lbuild's own build image: the base plus the in-container build helper (images/build/Dockerfile). */
export function lbuildBuildImage(runtime: RuntimeInfo, arch: Architecture, source: ImageSource): string {
  const suffix = source === 'offline' ? '-offline' : '';
  return `lbuild/build-${runtime.name}:${arch}${suffix}`;
}

let offlineNoticeShown = false;
/** Say once per process that stand-ins are in use, since their glibc differs from Lambda's. */
export function offlineNotice(source: ImageSource, warn: (message: string) => void): void {
  if (source !== 'offline' || offlineNoticeShown) return;
  offlineNoticeShown = true;
  warn(
    'LBUILD_IMAGE_SOURCE=offline: using Debian 12 stand-in images (glibc 2.36, newer than Lambda\'s 2.26/2.34). Good for local work and tests; build release zips with the official images.',
  );
}
