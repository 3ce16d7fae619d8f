/**
 * lbuild's own bootstraps (runtime interface clients), one per language, in src/runtime-support/.
 * The language is spelled as the catalog spells it ('nodejs'); only the folder of the Node
 * bootstrap is named "node", and this is the one place that knows it.
 */
import { join } from 'node:path';
import { runtimeSupportDir } from '../../../paths.js';
import type { Language } from '../../../runtimes/catalog.js';

const bootstrapFolders: Record<Language, string> = { python: 'python', nodejs: 'node' };

/** The folder holding lbuild's bootstrap for this language, on this host. */
export function bootstrapSourceDir(language: Language): string {
  return join(runtimeSupportDir, bootstrapFolders[language]);
}

/**
 * The interpreter arguments that start the bootstrap found in `dir`. -B: Python must not write
 * __pycache__ into the user's code folder or into lbuild's own files.
 */
export function bootstrapArgs(language: Language, dir: string): string[] {
  return language === 'python' ? ['-B', `${dir}/bootstrap.py`] : [`${dir}/bootstrap.mjs`];
}
