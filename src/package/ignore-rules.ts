/**
 * What stays out of the zip: lbuild's defaults, the project's .lbuildignore (gitignore syntax), and
 * package.exclude from lbuild.json; package.include wins back anything but secrets.
 */
import ignore, { type Ignore } from 'ignore';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedProject } from '../config/resolved-project.js';
import type { Language } from '../runtimes/catalog.js';

export const ignoreFileName = '.lbuildignore';

/** Never packaged, whatever the config says: secrets must not reach a zip by accident. */
const secretPatterns = ['.env', '.env.*', '!.env.example', '!.env.sample'];

const defaultPatterns = [
  '.git/',
  '.hg/',
  '.svn/',
  '.lbuild/',
  '.venv/',
  '__pycache__/',
  '*.pyc',
  '.DS_Store',
  // Host-installed dependencies may hold binaries for the wrong OS; they are reinstalled in the container.
  'node_modules/',
  'lbuild.json',
  ignoreFileName,
];

const pythonPatterns = ['.pytest_cache/', '.mypy_cache/', '.ruff_cache/', '.tox/', '*.egg-info/'];

export interface IgnoreRuleOptions {
  language: Language;
  exclude: string[];
  include: string[];
  /** Folders the config names for other purposes (the frontend build), relative to the root. */
  extraExcludes?: string[];
}

export interface SourceFilter {
  /** True when the relative path (posix, directories end with "/") must be left out. */
  excludes(relativePath: string): boolean;
  /** True when an excluded folder may still hold files that package.include wins back. */
  mayHoldIncluded(relativeDir: string): boolean;
}

export function buildSourceFilter(root: string, options: IgnoreRuleOptions): SourceFilter {
  const secrets = ignore().add(secretPatterns);
  const excluded: Ignore = ignore().add(defaultPatterns);
  if (options.language === 'python') excluded.add(pythonPatterns);
  for (const folder of options.extraExcludes ?? [])
    excluded.add(`/${folder.replace(/^\.?\/+/, '').replace(/\/?$/, '/')}`);
  const ignoreFile = join(root, ignoreFileName);
  if (existsSync(ignoreFile)) excluded.add(readFileSync(ignoreFile, 'utf8'));
  excluded.add(options.exclude);
  const included = ignore().add(options.include);

  return {
    excludes(relativePath) {
      if (secrets.ignores(relativePath)) return true;
      if (options.include.length > 0 && included.ignores(relativePath)) return false;
      return excluded.ignores(relativePath);
    },
    mayHoldIncluded(relativeDir) {
      const dir = relativeDir.replace(/\/$/, '');
      return options.include.some((pattern) => {
        const clean = pattern.replace(/^\//, '');
        return (
          !clean.replace(/\/$/, '').includes('/') ||
          clean.startsWith('**') ||
          clean.startsWith(`${dir}/`)
        );
      });
    },
  };
}

/**
 * The project's source filter for packaging and for hot reload alike: its package rules, with the
 * frontend folder left out (the static host serves it; it is never packaged).
 */
export function sourceFilterFor(
  project: Pick<ResolvedProject, 'root' | 'runtime' | 'package' | 'frontend'>,
  alsoExclude: string[] = [],
): SourceFilter {
  return buildSourceFilter(project.root, {
    language: project.runtime.language,
    exclude: [...project.package.exclude, ...alsoExclude],
    include: project.package.include,
    extraExcludes: project.frontend ? [project.frontend.dir] : [],
  });
}
