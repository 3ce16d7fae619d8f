/**
 * Reading what scan-script.ts printed: per ELF file of the installed tree, every library the
 * loader would load for it (ldd lists the whole closure, not only DT_NEEDED), with the path it
 * resolved to in the build container or "not found". The vDSO and the loader itself have no
 * soname => path form and are left out; so are files ldd does not handle ("not a dynamic
 * executable": static binaries, other architectures' files).
 */
export interface LibraryResolution {
  soname: string;
  /** Absolute path in the build container; undefined when the loader did not find it. */
  path: string | undefined;
}

export interface LddListing {
  /** ELF file (relative to the tree) → the libraries it loads, in ldd's order. */
  files: Map<string, LibraryResolution[]>;
  /** Names already in the tree's lib/ folder. */
  libEntries: Set<string>;
}

const resolvedLine = /^(\S+) => (.+?)(?: \(0x[0-9a-fA-F]+\))?$/;

export function parseLddListing(output: string): LddListing {
  const files = new Map<string, LibraryResolution[]>();
  const libEntries = new Set<string>();
  let current: LibraryResolution[] | undefined;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('lib-entry\t')) {
      libEntries.add(line.slice('lib-entry\t'.length));
      continue;
    }
    if (line.startsWith('==> ')) {
      current = [];
      files.set(line.slice(4).replace(/^\.\//, ''), current);
      continue;
    }
    const match = resolvedLine.exec(line.trim());
    if (!current || !match) continue;
    const [, soname, target] = match;
    // "libfoo.so => not found"; an empty target appears for some vDSO spellings.
    const path = target === 'not found' || !target!.startsWith('/') ? undefined : target;
    if (target === 'not found' || path) current.push({ soname: soname!, path });
  }
  return { files, libEntries };
}
