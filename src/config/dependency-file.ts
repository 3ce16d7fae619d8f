/**
 * Which file pins a project's dependencies. Its hash is the heart of the dependency cache key, so
 * picking the most precise one matters: a lock file beats a manifest.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import type { Language } from '../runtimes/catalog.js';

export type DependencyKind = 'requirements' | 'pyproject' | 'poetry' | 'pipenv' | 'uv' | 'npm';

export interface DependencyFile {
  kind: DependencyKind;
  /** Relative to the project root. */
  path: string;
}

const pythonCandidates: DependencyFile[] = [
  { kind: 'uv', path: 'uv.lock' },
  { kind: 'poetry', path: 'poetry.lock' },
  { kind: 'pipenv', path: 'Pipfile.lock' },
  { kind: 'requirements', path: 'requirements.txt' },
  { kind: 'pyproject', path: 'pyproject.toml' },
];

const nodeCandidates: DependencyFile[] = [{ kind: 'npm', path: 'package-lock.json' }];

export function kindOf(path: string): DependencyKind | undefined {
  const base = path.split('/').pop() ?? path;
  if (base === 'uv.lock') return 'uv';
  if (base === 'poetry.lock') return 'poetry';
  if (base === 'Pipfile.lock') return 'pipenv';
  if (base === 'pyproject.toml') return 'pyproject';
  if (base === 'package-lock.json') return 'npm';
  if (base.endsWith('.txt')) return 'requirements';
  return undefined;
}

export function detectDependencyFile(
  root: string,
  language: Language,
  configured?: string,
): DependencyFile | undefined {
  if (configured) {
    const kind = kindOf(configured);
    if (!kind || (language === 'nodejs') !== (kind === 'npm')) {
      throw new ConfigError(
        'package.dependencies',
        `"${configured}" is not a ${language} dependency file lbuild can install`,
        language === 'nodejs'
          ? 'Use package-lock.json (run `npm install` to create it).'
          : 'Use requirements.txt, pyproject.toml, poetry.lock, Pipfile.lock or uv.lock.',
      );
    }
    if (!existsSync(join(root, configured))) {
      throw new ConfigError(
        'package.dependencies',
        `"${configured}" does not exist in ${root}`,
        'Fix the path (relative to the project folder) or remove the setting to detect it.',
      );
    }
    return { kind, path: configured };
  }
  const candidates = language === 'nodejs' ? nodeCandidates : pythonCandidates;
  return candidates.find((c) => existsSync(join(root, c.path)));
}
