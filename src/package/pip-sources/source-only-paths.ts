/**
 * Project files that only feed pip, never the function: find-links folders, file: indexes, wheel
 * and sdist archives named as requirements, and the project's pip.conf (which may hold index
 * credentials). They are left out of the zip. A local package folder (./vendor/pkg) stays, as
 * before: the app may import it directly, and package.exclude can drop it.
 */
import type { PipSources } from './find-sources.js';
import { insideProject } from './source-ref.js';

const archive = /\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar\.xz)$/;

/** Project-relative paths (never the project root itself). */
export function sourceOnlyPaths(root: string, sources: PipSources): string[] {
  const paths = new Set<string>();
  for (const ref of sources.refs) {
    if (ref.option === 'package' && !archive.test(ref.hostPath)) continue;
    const rel = insideProject(root, ref.hostPath);
    if (rel) paths.add(rel);
  }
  for (const config of sources.configs) {
    const rel = config.role === 'project' ? insideProject(root, config.hostPath) : undefined;
    if (rel) paths.add(rel);
  }
  return [...paths].sort();
}
