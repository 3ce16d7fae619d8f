/**
 * The Lambda runtimes lbuild knows: what OS and glibc each runs on, which images build and run it,
 * and which offline stand-in (if any) can take its place when no registry is reachable.
 */
import { UserError } from '../errors.js';

export type Language = 'python' | 'nodejs';
export type Architecture = 'x86_64' | 'arm64';
export const architectures: readonly Architecture[] = ['x86_64', 'arm64'];

export interface RuntimeInfo {
  name: string;
  language: Language;
  /** e.g. "3.11" or "18". */
  version: string;
  os: 'Amazon Linux 2' | 'Amazon Linux 2023';
  /** Highest GLIBC_x.y symbol version the runtime's OS provides. */
  glibc: string;
  /** Official AWS build image (SAM) with compilers and the language's package tool. */
  buildImage: string;
  /** Official AWS run image with the runtime interface client and emulator. */
  runImage: string;
  /** Offline stand-in family, when Debian 12 ships the same language version. */
  offline?: 'python' | 'node';
}

const python = (minor: number, os: RuntimeInfo['os']): RuntimeInfo => ({
  name: `python3.${minor}`,
  language: 'python',
  version: `3.${minor}`,
  os,
  glibc: os === 'Amazon Linux 2' ? '2.26' : '2.34',
  buildImage: `public.ecr.aws/sam/build-python3.${minor}:latest`,
  runImage: `public.ecr.aws/lambda/python:3.${minor}`,
  ...(minor === 11 ? { offline: 'python' as const } : {}),
});

const nodejs = (major: number, os: RuntimeInfo['os']): RuntimeInfo => ({
  name: `nodejs${major}.x`,
  language: 'nodejs',
  version: String(major),
  os,
  glibc: os === 'Amazon Linux 2' ? '2.26' : '2.34',
  buildImage: `public.ecr.aws/sam/build-nodejs${major}.x:latest`,
  runImage: `public.ecr.aws/lambda/nodejs:${major}`,
  ...(major === 18 ? { offline: 'node' as const } : {}),
});

export const runtimes: readonly RuntimeInfo[] = [
  python(9, 'Amazon Linux 2'),
  python(10, 'Amazon Linux 2'),
  python(11, 'Amazon Linux 2'),
  python(12, 'Amazon Linux 2023'),
  python(13, 'Amazon Linux 2023'),
  nodejs(18, 'Amazon Linux 2'),
  nodejs(20, 'Amazon Linux 2023'),
  nodejs(22, 'Amazon Linux 2023'),
];

export const runtimeNames = runtimes.map((r) => r.name);

export function findRuntime(name: string): RuntimeInfo {
  const runtime = runtimes.find((r) => r.name === name);
  if (!runtime) {
    throw new UserError(`unknown runtime "${name}"`, {
      hint: `Use one of: ${runtimeNames.join(', ')}.`,
    });
  }
  return runtime;
}

/** Debian's architecture names, used by debootstrap and Docker platforms. */
export function debianArch(arch: Architecture): 'amd64' | 'arm64' {
  return arch === 'x86_64' ? 'amd64' : 'arm64';
}

export function dockerPlatform(arch: Architecture): string {
  return `linux/${debianArch(arch)}`;
}
