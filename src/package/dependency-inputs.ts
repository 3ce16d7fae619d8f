/**
 * The files that determine the installed dependencies: the dependency file itself, its companions
 * (package.json beside package-lock.json, pyproject.toml beside a lock) and local paths it refers to
 * (`./vendor/pkg` in requirements.txt, `file:./addon` in package.json). Exactly these go into the
 * build container, and exactly these are hashed into the cache key, so nothing else can force a
 * reinstall and nothing that matters can be missed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { UserError } from '../errors.js';
import type { DependencyFile } from '../config/dependency-file.js';

const companions: Record<DependencyFile['kind'], string[]> = {
  requirements: [],
  pyproject: [],
  poetry: ['pyproject.toml'],
  pipenv: ['Pipfile'],
  uv: ['pyproject.toml'],
  npm: ['package.json'],
};

/** Relative paths (files or folders) that must travel with the dependency file. */
export function dependencyInputs(root: string, file: DependencyFile): string[] {
  const inputs = new Set<string>([file.path]);
  const base = dirname(file.path);
  for (const companion of companions[file.kind]) {
    const path = join(base, companion);
    if (existsSync(join(root, path))) inputs.add(normalize(path));
  }
  if (file.kind === 'requirements')
    for (const p of requirementsReferences(root, file.path, new Set())) inputs.add(p);
  if (file.kind === 'npm')
    for (const p of npmFileReferences(root, join(base, 'package.json'))) inputs.add(p);
  for (const input of inputs) {
    if (input.startsWith('..')) {
      throw new UserError(`dependency input ${input} lies outside the project`, {
        hint: 'Move the local package into the project folder so it can be sent to the build container.',
      });
    }
  }
  return [...inputs].sort();
}

/** Local paths named in a requirements file, following -r/-c includes. */
function requirementsReferences(root: string, file: string, seen: Set<string>): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const found: string[] = [];
  const base = dirname(file);
  const text = readFileSync(join(root, file), 'utf8');
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const include = /^(?:-r|--requirement|-c|--constraint)[\s=]+(\S+)/.exec(line);
    if (include) {
      const path = normalize(join(base, include[1]!));
      found.push(path, ...requirementsReferences(root, path, seen));
      continue;
    }
    for (const token of line.replace(/^(?:-e|--editable)\s+/, '').split(/\s+/)) {
      const local = localPathOf(token);
      if (local === undefined) continue;
      const path = normalize(join(base, local));
      if (existsSync(join(root, path))) found.push(path);
    }
  }
  return found;
}

/** "./pkg", "../x.whl", "file:./pkg", "name @ file:./pkg" → the path; anything else → undefined. */
function localPathOf(token: string): string | undefined {
  const value = token.startsWith('file:') ? token.slice(5).replace(/^\/\/(?=\.)/, '') : token;
  if (value.startsWith('./') || value.startsWith('../')) return value;
  return undefined;
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
      if (
        existsSync(join(root, path)) &&
        (statSync(join(root, path)).isDirectory() || statSync(join(root, path)).isFile())
      )
        found.push(path);
    }
  }
  return found;
}
