/**
 * Which names of the installed tree slim leaves out, given the links between them, and what that
 * saves. Names are relative to the dependencies' root; `prefix` is the tar's top folder (out/).
 */
import { posix } from 'node:path';
import type { Header } from 'tar-stream';

export interface HeaderFacts {
  type: Header['type'];
  linkname: string | undefined;
  size: number;
}

/**
 * Names to leave out: what the rules match (directories take their contents with them), minus
 * whatever a kept link reaches, repeated until no kept link points into the removed set.
 */
export function removalSet(
  headers: Map<string, HeaderFacts>,
  matches: (rel: string, isDir: boolean) => boolean,
  prefix: string,
): Set<string> {
  const protectedPaths = new Set<string>();
  const ruled = new Set<string>();
  for (const [rel, facts] of headers) if (matches(rel, facts.type === 'directory')) ruled.add(rel);
  // A path is protected (or removed) when it, or a folder above it, is.
  const isProtected = (rel: string) => selfOrAncestorIn(rel, protectedPaths);
  // A file in a removed folder is removed too, even when the folder's own entry is missing.
  const removedByRule = (rel: string) => selfOrAncestorIn(rel, ruled);
  // Symlinks protect what they point at. Hard links do not: a kept hard link to a removed file is
  // written as a copy of it instead (see filterDependencyTar), so removing obj.target/x.node keeps
  // Release/x.node whichever of the two the tar stores first.
  for (;;) {
    const before = protectedPaths.size;
    for (const [rel, facts] of headers) {
      if (facts.type !== 'symlink') continue;
      if (removedByRule(rel) && !isProtected(rel)) continue;
      const target = linkTarget(rel, facts, prefix);
      if (target !== undefined) protectedPaths.add(target);
    }
    if (protectedPaths.size === before) break;
  }
  const removed = new Set<string>();
  for (const [rel, facts] of headers) {
    if (facts.type === 'directory' || rel === '') continue; // empty folders never reach a zip
    if (removedByRule(rel) && !isProtected(rel)) removed.add(rel);
  }
  return removed;
}

/**
 * What an entry adds to the unzipped size: the zip stage turns links into copies of what they
 * point at, so a removed link saves its target's bytes (all files below it, for a folder).
 */
export function bytesInZip(
  rel: string,
  headers: Map<string, HeaderFacts>,
  prefix: string,
  hops = 0,
): number {
  const facts = headers.get(rel);
  if (!facts || hops > 40) return 0;
  if (facts.type === 'file' || facts.type === 'contiguous-file') return facts.size;
  if (facts.type === 'link' || facts.type === 'symlink') {
    const target = linkTarget(rel, facts, prefix);
    if (target === undefined) return 0;
    if (headers.get(target)?.type !== 'directory')
      return bytesInZip(target, headers, prefix, hops + 1);
    let total = 0;
    for (const [name, inner] of headers)
      if (name.startsWith(`${target}/`) && inner.type !== 'directory')
        total += bytesInZip(name, headers, prefix, hops + 1);
    return total;
  }
  return 0;
}

function selfOrAncestorIn(rel: string, set: Set<string>): boolean {
  for (let p = rel; p !== '' && p !== '.'; p = posix.dirname(p)) if (set.has(p)) return true;
  return false;
}

export function linkTarget(rel: string, facts: HeaderFacts, prefix: string): string | undefined {
  const link = facts.linkname ?? '';
  if (facts.type === 'link')
    return link
      .replace(/^(\.\/)+/, '')
      .slice(prefix.length)
      .replace(/\/+$/, '');
  if (link.startsWith('/')) return undefined; // outside the tree: the zip stage reports it
  const joined = posix.normalize(posix.join(posix.dirname(rel), link));
  return joined.startsWith('..') ? undefined : joined.replace(/\/+$/, '');
}
