/**
 * The files that determine the installed dependencies: the dependency file itself, its companions
 * (package.json beside package-lock.json, pyproject.toml beside a lock), the requirement files it
 * includes and the local paths they name inside the project (`./vendor/pkg`, `--find-links
 * ./wheels`: see pip-sources/), and `file:./addon` in package.json. Exactly these go into the
 * build container with the project's layout, and exactly these are hashed into the cache key, so
 * nothing else can force a reinstall and nothing that matters can be missed. Package sources
 * outside the project are shipped on their own (pip-sources/ship-sources.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { UserError } from '../errors.js';
import type { DependencyFile } from '../config/dependency-file.js';
import type { PipSources } from './pip-sources/find-sources.js';
import { insideProject } from './pip-sources/source-ref.js';

const companions: Record<DependencyFile['kind'], string[]> = {
  requirements: [],
  pyproject: [],
  poetry: ['pyproject.toml'],
  pipenv: ['Pipfile'],
  uv: ['pyproject.toml'],
  npm: ['package.json'],
};

/** Relative paths (files or folders) that must travel with the dependency file. */
export function dependencyInputs(root: string, file: DependencyFile, pip: PipSources): string[] {
  const inputs = new Set<string>([file.path]);
  const base = dirname(file.path);
  for (const companion of companions[file.kind]) {
    const path = join(base, companion);
    if (existsSync(join(root, path))) inputs.add(normalize(path));
  }
  for (const p of pip.requirementFiles) inputs.add(p);
  for (const ref of pip.refs) {
    // The project root itself (`-e ./`) is not shipped whole: only what a build reads.
    const rel = insideProject(root, ref.hostPath);
    if (rel) inputs.add(rel);
  }
  if (file.kind === 'npm')
    for (const p of npmFileReferences(root, join(base, 'package.json'))) inputs.add(p);
  return [...inputs].sort();
}

function npmFileReferences(root: string, packageJson: string): string[] {
  const full = join(root, packageJson);
  if (!existsSync(full)) return [];
  const manifest = JSON.parse(readFileSync(full, 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  const found: string[] = [];
  for (const section of ['dependencies', 'optionalDependencies']) {
    for (const spec of Object.values(manifest[section] ?? {})) {
      if (!spec.startsWith('file:')) continue;
      const path = normalize(join(dirname(packageJson), spec.slice(5)));
      if (path.startsWith('..'))
        throw new UserError(`dependency input ${path} lies outside the project`, {
          hint: 'Move the local package into the project folder so it can be sent to the build container.',
        });
      if (
        existsSync(join(root, path)) &&
        (statSync(join(root, path)).isDirectory() || statSync(join(root, path)).isFile())
      )
        found.push(path);
    }
  }
  return found;
}
