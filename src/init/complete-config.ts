/**
 * What every init adds beyond the functions, whether they were detected or imported: the
 * dependency file, the build's system packages, a frontend, a database. An imported file rarely
 * says these (Zappa and SAM find requirements.txt themselves), so they come from the folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { detectDependencyFile } from '../config/dependency-file.js';
import type { ProjectConfig } from '../config/types.js';
import type { Language } from '../runtimes/catalog.js';
import { detectDatabase, detectSystemPackages } from './detect-database.js';
import { detectFrontend } from './detect-frontend.js';
import { readPackageJson } from './detect-node-app.js';
import type { Notes } from './notes.js';

export function completeConfig(
  root: string,
  config: ProjectConfig,
  language: Language,
  notes: Notes,
): void {
  detectDependencies(root, config, language, notes);
  detectSystemPackages(root, config, notes);
  if (!config.frontend) detectFrontend(root, config, notes);
  detectDatabase(root, config, notes);
}

function detectDependencies(
  root: string,
  config: ProjectConfig,
  language: Language,
  notes: Notes,
): void {
  if (config.package?.dependencies) return;
  // SAM and Serverless keep requirements.txt beside the code (CodeUri), not always at the top.
  const sourceDir = config.package?.sourceDir;
  const found =
    (sourceDir && detectDependencyFile(join(root, sourceDir), language)) ||
    detectDependencyFile(root, language);
  if (found) {
    const path =
      sourceDir && existsSync(join(root, sourceDir, found.path))
        ? `${sourceDir.replace(/\/$/, '')}/${found.path}`
        : found.path;
    config.package = { ...config.package, dependencies: path };
    notes.map(`package.dependencies ${path} ← found`);
    return;
  }
  if (language === 'nodejs' && Object.keys(readPackageJson(root)?.dependencies ?? {}).length > 0)
    notes.skip(
      'dependencies: package.json lists dependencies but there is no package-lock.json: run npm install to make one (lbuild package installs with npm ci)',
    );
  else if (language === 'python')
    notes.skip(
      'dependencies: no requirements.txt, pyproject.toml, poetry.lock, Pipfile.lock or uv.lock: the zip gets your code only',
    );
}
