/**
 * A package source named on this machine: a folder or file that pip reads packages from, where it
 * was named, and the host path it resolves to. Resolving checks that it exists, since a build
 * container cannot receive what is not there; pip itself would only warn and then fail to find the
 * package, far from the cause.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative as relativePath, resolve, sep } from 'node:path';
import { UserError } from '../../errors.js';
import { localReference, type SourceOption } from './requirement-line.js';

export type SourceOrigin =
  | { kind: 'requirements'; file: string; line: number }
  | { kind: 'env'; name: string }
  | { kind: 'config'; file: string }
  | { kind: 'install-args' };

export interface SourceRef {
  origin: SourceOrigin;
  /** The pip option, or 'package' for a local requirement (./pkg, x.whl, -e ./pkg). */
  option: SourceOption | 'package';
  /** The value as written, which a rewrite replaces. */
  written: string;
  /** The written value was relative (so it still resolves where the files keep their layout). */
  relative: boolean;
  /** A file: URL, so its replacement is one too. */
  url: boolean;
  hostPath: string;
}

/** The path relative to the project root ('' for the root), or undefined when it lies outside. */
export function insideProject(root: string, hostPath: string): string | undefined {
  const rel = relativePath(root, hostPath);
  return rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.split(sep).join('/');
}

export function describeOrigin(origin: SourceOrigin): string {
  switch (origin.kind) {
    case 'requirements':
      return `${origin.file} line ${origin.line}`;
    case 'env':
      return origin.name;
    case 'config':
      return `pip configuration ${origin.file}`;
    case 'install-args':
      return 'package.installArgs';
  }
}

const relativeTo: Record<SourceOrigin['kind'], string> = {
  requirements: 'the requirements file that names it, as pip reads it',
  env: 'the current directory',
  config: 'the folder of the configuration file',
  'install-args': 'the project folder',
};

/**
 * The ref for `value` if it names something local, resolved against `bases` in order (the first
 * that exists wins); undefined for names and remote URLs. A local value that exists nowhere is a
 * UserError.
 */
export function resolveRef(
  origin: SourceOrigin,
  option: SourceRef['option'],
  value: string,
  bases: string[],
): SourceRef | undefined {
  const local = localReference(value, option === 'find-links');
  if (!local) return undefined;
  const relative = !isAbsolute(local.path);
  const candidates = relative ? bases.map((base) => resolve(base, local.path)) : [local.path];
  const hostPath = candidates.find((path) => existsSync(path));
  const what = option === 'package' ? 'a local package' : `--${option}`;
  if (!hostPath)
    throw new UserError(
      `${describeOrigin(origin)}: ${what} ${value} does not exist (looked for ${candidates.join(', ')})`,
      {
        hint: `Create it or fix the path${relative ? ` (relative paths are relative to ${relativeTo[origin.kind]})` : ''}; lbuild copies package sources into the build container, so they must exist on this machine.`,
        details: { origin, value, candidates },
      },
    );
  return { origin, option, written: value, relative, url: local.url, hostPath };
}
