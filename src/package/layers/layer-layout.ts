/**
 * Where dependencies go in a Lambda layer. Lambda unpacks layers into /opt and puts /opt/python on
 * Python's sys.path and /opt/nodejs/node_modules on NODE_PATH, so the installed tree moves under
 * `python/` (pip --target output is importable as is) or `nodejs/` (the tree already starts with
 * node_modules/). `python/` rather than python/lib/python3.x/site-packages: it works for every
 * Python runtime, so one layer layout fits all.
 */
import { basename, dirname, join } from 'node:path';
import type { Language } from '../../runtimes/catalog.js';

export function layerPrefix(language: Language): string {
  return language === 'python' ? 'python/' : 'nodejs/';
}

/** Where the layer's files are visible inside the function's sandbox. */
export function layerMountPath(language: Language): string {
  return language === 'python' ? '/opt/python' : '/opt/nodejs/node_modules';
}

/** `dist/api.zip` → `dist/api-layer.zip`: the two outputs stay side by side. */
export function layerZipPath(functionZip: string): string {
  return join(dirname(functionZip), `${basename(functionZip).replace(/\.zip$/i, '')}-layer.zip`);
}

/** `libraries`: the bundled libraries' paths in the tree (lib/...), which keep their place. */
export function toLayerEntries<T extends { name: string }>(
  dependencies: T[],
  language: Language,
  libraries: ReadonlySet<string> = new Set(),
): T[] {
  const prefix = layerPrefix(language);
  return dependencies.map((entry) =>
    libraries.has(entry.name) ? entry : { ...entry, name: `${prefix}${entry.name}` },
  );
}
