/**
 * Lambda starts a web function with `node <entry point>` from the package root (index.js unless
 * entryPoint says otherwise) and ignores package.json `main`: a package without that file fails
 * every init on Lambda, so it fails here, before anything is installed.
 */
import type { ResolvedProject } from '../config/load.js';
import { ConfigError } from '../errors.js';
import type { SourceFile } from './collect-sources.js';

export function assertWebEntryPoints(project: ResolvedProject, sourceFiles: SourceFile[]): void {
  const names = new Set(sourceFiles.map((file) => file.name));
  for (const fn of project.functions) {
    if (!fn.web || names.has(fn.web.entryPoint)) continue;
    throw new ConfigError(
      `functions.${fn.name}.entryPoint`,
      `${fn.web.entryPoint} is not in the package (Lambda starts a web function with node ${fn.web.entryPoint} in its root; package.json "main" is ignored)`,
      fn.web.entryPointSet
        ? 'Build that file before packaging, or fix the path (relative to package.sourceDir); check package.exclude.'
        : 'Add index.js at the package root, or set "entryPoint" (e.g. "dist/server.mjs") for this function.',
      project.configFile,
    );
  }
}
