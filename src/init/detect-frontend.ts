/**
 * A frontend beside the API: a Vite or Create React App project (served from its build folder) or
 * a folder of plain static files with an index.html. Flask's static/ and templates/ are served by
 * the app itself, so they are not candidates.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig } from '../config/types.js';
import type { Notes } from './notes.js';
import { readJson } from './source-files.js';

const folders = ['frontend', 'client', 'web', 'ui', 'www', 'site', 'public'];

interface Frontend {
  /** The folder lbuild serves (the build output for Vite / CRA). */
  dir: string;
  /** The source folder, kept out of the zip when it is not the served folder itself. */
  source: string;
  kind: string;
  built: boolean;
}

function frontendIn(root: string, folder: string): Frontend | undefined {
  const base = join(root, folder);
  const pkg = readJson(join(base, 'package.json')) as
    { dependencies?: Record<string, string>; devDependencies?: Record<string, string> } | undefined;
  if (pkg) {
    const deps = { ...pkg.dependencies, ...pkg.devDependencies };
    const output = 'vite' in deps ? 'dist' : 'react-scripts' in deps ? 'build' : undefined;
    if (!output) return undefined;
    return {
      dir: `${folder}/${output}`,
      source: folder,
      kind: 'vite' in deps ? 'Vite' : 'Create React App',
      built: existsSync(join(base, output, 'index.html')),
    };
  }
  if (existsSync(join(base, 'index.html')))
    return { dir: folder, source: folder, kind: 'static files', built: true };
  return undefined;
}

/** Adds frontend (and keeps a built frontend's sources out of the zip); notes what it found. */
export function detectFrontend(root: string, config: ProjectConfig, notes: Notes): void {
  const found = folders.map((folder) => frontendIn(root, folder)).find(Boolean);
  if (!found) return;
  config.frontend = { dir: found.dir };
  notes.map(`frontend.dir ${found.dir} ← ${found.kind} in ${found.source}/`);
  if (found.source !== found.dir) {
    config.package = {
      ...config.package,
      exclude: [...(config.package?.exclude ?? []), `${found.source}/`],
    };
    notes.map(`package.exclude ${found.source}/ ← the frontend's sources stay out of the zip`);
  }
  if (!found.built)
    notes.skip(
      `frontend: ${found.dir} does not exist yet: build it (npm run build in ${found.source}/) before lbuild serve`,
    );
}
