/** What the audit reports: one problem with one file (or the package), and how to fix it. */
import type { Architecture, RuntimeInfo } from '../runtimes/catalog.js';
import type { TagProblem } from './wheel-tags.js';

export type FindingKind =
  | 'wrong-architecture'
  | 'glibc-too-new'
  | 'libstdcxx-too-new'
  | 'musl-binary'
  | 'macos-binary'
  | 'windows-binary'
  | 'missing-library'
  | 'glibc-private'
  | 'xcrypt-versions'
  | 'unreadable-file'
  | 'size-limit'
  | 'other-platform-binary'
  | TagProblem['kind'];

/** Findings about the package as a whole (its size) name this instead of a file. */
export const wholePackage = '(package)';

export interface Finding {
  /** Path inside the package, '/'-separated, or "(package)". */
  file: string;
  kind: FindingKind;
  message: string;
  fix: string;
}

export interface Target {
  runtime: RuntimeInfo;
  architecture: Architecture;
}

/** How findings name the runtime: its identifier and OS. */
export function runtimeLabel(runtime: RuntimeInfo): string {
  return `${runtime.name} (${runtime.os})`;
}
