/**
 * The project's own source files, as the detectors read them: the top folder and two levels below
 * it, without virtualenvs, node_modules, build output or tests. Enough to find an app object or a
 * handler in any common layout (app.py, app/main.py, src/server.js) without walking a monorepo.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const skippedFolders = new Set([
  'node_modules',
  '.git',
  '.lbuild',
  '.serverless',
  '.aws-sam',
  '__pycache__',
  'venv',
  '.venv',
  'env',
  'site-packages',
  'dist',
  'build',
  'tests',
  'test',
  '__tests__',
  'migrations',
  'coverage',
]);
const maxDepth = 2;
/** Bigger files are generated or vendored, not where an app is defined. */
const maxBytes = 256 * 1024;

export interface SourceFile {
  /** Relative to the project root, with "/". */
  path: string;
  text: string;
}

export function sourceFiles(root: string, extensions: string[]): SourceFile[] {
  const found: SourceFile[] = [];
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const full = join(dir, name);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) {
        if (depth < maxDepth && !skippedFolders.has(name)) walk(full, depth + 1);
      } else if (
        extensions.some((ext) => name.endsWith(ext)) &&
        !name.endsWith('.d.ts') &&
        stat.size <= maxBytes
      ) {
        found.push({
          path: relative(root, full).split('\\').join('/'),
          text: readFileSync(full, 'utf8'),
        });
      }
    }
  };
  walk(root, 0);
  // Shallow files first: the app is usually at the top (app.py before app/helpers.py).
  return found.sort((a, b) => depthOf(a.path) - depthOf(b.path) || a.path.localeCompare(b.path));
}

const depthOf = (path: string) => path.split('/').length;

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function readJson(path: string): unknown {
  const text = readText(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
