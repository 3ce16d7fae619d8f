/**
 * Which libraries to copy into lib/, decided from the ldd listing of the installed tree (pure, so
 * it is table-tested): every library the loader resolved for some file of the tree, outside the
 * tree, that the runtime does not provide and lib/ does not already hold. ldd lists whole
 * closures, so a library's own needs (libpq → libssl → libcrypto) come along without a second
 * pass. A library the build container could not find either cannot be bundled: it is reported, so
 * the user can add the package that provides it to package.systemPackages.
 */
import type { LddListing } from './ldd-listing.js';

export interface PlannedLibrary {
  soname: string;
  /** Where the build container's loader found it. */
  source: string;
}

export interface UnresolvedLibrary {
  soname: string;
  /** Files of the tree that load it, directly or through another library. */
  neededBy: string[];
}

export interface BundlePlan {
  /** Sorted by soname: the copies, and so the tar, come out the same every time. */
  bundle: PlannedLibrary[];
  unresolved: UnresolvedLibrary[];
}

export interface PlanOptions {
  /** The tree's root in the build container: libraries resolved inside it ship already. */
  treeRoot: string;
  neverBundled: (soname: string) => boolean;
}

export function planBundle(listing: LddListing, options: PlanOptions): BundlePlan {
  const root = `${options.treeRoot.replace(/\/+$/, '')}/`;
  const bundle = new Map<string, string>();
  const unresolved = new Map<string, Set<string>>();
  for (const [file, libraries] of [...listing.files].sort(([a], [b]) => compare(a, b))) {
    for (const { soname, path } of libraries) {
      if (options.neverBundled(soname) || listing.libEntries.has(soname)) continue;
      if (path === undefined) {
        const files = unresolved.get(soname) ?? new Set<string>();
        unresolved.set(soname, files.add(file));
      } else if (!path.startsWith(root) && !bundle.has(soname)) {
        bundle.set(soname, path);
      }
    }
  }
  // A library one file could not find but another resolved (different RPATHs) is bundled now.
  for (const soname of bundle.keys()) unresolved.delete(soname);
  return {
    bundle: [...bundle]
      .map(([soname, source]) => ({ soname, source }))
      .sort((a, b) => compare(a.soname, b.soname)),
    unresolved: [...unresolved]
      .map(([soname, files]) => ({ soname, neededBy: [...files].sort(compare) }))
      .sort((a, b) => compare(a.soname, b.soname)),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
