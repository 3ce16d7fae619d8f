/**
 * The host half of slim: copy the installed tree's tar without the files the rules remove, and
 * pick out the shared objects that are worth stripping in the container.
 *
 * Done on the tar rather than with `rm` in the container so that the rules are plain,
 * unit-testable TypeScript, and a slim without strippable objects needs no container at all.
 * A file that a kept symlink points at is kept too: removing it would turn a working link into a
 * dangling one, which the zip stage rightly rejects. A kept hard link to a removed file gets the
 * file's bytes instead (the zip stage would copy them anyway).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract, pack, type Header } from 'tar-stream';
import { slimMatcher, type ResolvedSlim } from './options.js';
import { sharedObjectName } from './rules.js';

export type SkipReason =
  | 'excluded'
  | 'below-min-bytes'
  | 'strip-failed'
  | 'unverifiable'
  | 'load-failed'
  | 'no-strip-tool';

export interface SkippedObject {
  path: string;
  reason: SkipReason;
  detail?: string;
}

export interface FilterResult {
  removedFiles: number;
  removedBytes: number;
  /** Shared objects to strip, relative to the dependencies' root. */
  candidates: string[];
  skipped: SkippedObject[];
}

interface HeaderFacts {
  type: Header['type'];
  linkname: string | undefined;
  size: number;
}

/** `rawTar` → `outTar`, both with every name under `prefix` (Docker's getArchive of out/). */
export async function filterDependencyTar(
  rawTar: string,
  outTar: string,
  slim: ResolvedSlim,
  prefix = 'out/',
): Promise<FilterResult> {
  const matcher = slimMatcher(slim);
  const relative = (name: string) =>
    name
      .replace(/^(\.\/)+/, '')
      .slice(prefix.length)
      .replace(/\/+$/, '');

  // Pass 1: headers only, to learn which files links depend on.
  const headers = new Map<string, HeaderFacts>();
  for await (const entry of readTar(rawTar)) {
    headers.set(relative(entry.header.name), {
      type: entry.header.type,
      linkname: entry.header.linkname ?? undefined,
      size: entry.header.size ?? 0,
    });
    entry.resume();
  }
  const removed = removalSet(
    headers,
    (rel, isDir) => rel !== '' && matcher.removes(isDir ? `${rel}/` : rel),
    prefix,
  );
  // Removed files that a kept hard link names: their bytes move to the link.
  const orphanTargets = new Set<string>();
  for (const [rel, facts] of headers) {
    if (facts.type !== 'link' || removed.has(rel)) continue;
    const target = linkTarget(rel, facts, prefix);
    if (target !== undefined && removed.has(target)) orphanTargets.add(target);
  }
  const orphanData = new Map<string, { data: Buffer; mode: number | undefined }>();
  const restored = new Set<string>();

  // Pass 2: copy what stays, look at shared objects on the way.
  const result: FilterResult = { removedFiles: 0, removedBytes: 0, candidates: [], skipped: [] };
  const packer = pack();
  const written = pipeline(packer, createWriteStream(outTar));
  const addFile = async (header: Header, data: Buffer, mode: number | undefined) => {
    const rel = relative(header.name);
    if (slim.strip.enabled && sharedObjectName.test(rel) && isElfSharedObject(data)) {
      if (matcher.keepsSymbols(rel)) result.skipped.push({ path: rel, reason: 'excluded' });
      else if (data.length < slim.strip.minBytes)
        result.skipped.push({
          path: rel,
          reason: 'below-min-bytes',
          detail: `${data.length} bytes`,
        });
      else result.candidates.push(rel);
    }
    await addEntry(
      packer,
      { ...header, type: 'file', linkname: '', size: data.length, mode: mode ?? 0o644 },
      data,
    );
  };
  try {
    for await (const entry of readTar(rawTar)) {
      const header = entry.header;
      const rel = relative(header.name);
      if (removed.has(rel)) {
        result.removedFiles += 1;
        result.removedBytes += bytesInZip(rel, headers, prefix);
        if (orphanTargets.has(rel))
          orphanData.set(rel, { data: await readAll(entry), mode: header.mode });
        else entry.resume();
        continue;
      }
      const orphanName =
        header.type === 'link'
          ? linkTarget(
              rel,
              { type: 'link', linkname: header.linkname ?? undefined, size: 0 },
              prefix,
            )
          : undefined;
      const orphan = orphanName === undefined ? undefined : orphanData.get(orphanName);
      if (orphanName !== undefined && orphan) {
        entry.resume();
        // The target was counted as removed, but its bytes live on under this name.
        if (!restored.has(orphanName)) {
          restored.add(orphanName);
          result.removedFiles -= 1;
          result.removedBytes -= orphan.data.length;
        }
        await addFile(header, orphan.data, orphan.mode);
        continue;
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        entry.resume();
        await addEntry(packer, header);
        continue;
      }
      await addFile(header, await readAll(entry), header.mode);
    }
    packer.finalize();
    await written;
  } catch (error) {
    packer.destroy(error as Error);
    await written.catch(() => {});
    throw error;
  }
  result.candidates.sort();
  return result;
}

/**
 * Names to leave out: what the rules match (directories take their contents with them), minus
 * whatever a kept link reaches, repeated until no kept link points into the removed set.
 */
function removalSet(
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
function bytesInZip(
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

function linkTarget(rel: string, facts: HeaderFacts, prefix: string): string | undefined {
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

/** ELF, type ET_DYN: shared libraries, extension modules and Node addons (not executables by name). */
export function isElfSharedObject(data: Buffer): boolean {
  if (data.length < 18 || data.readUInt32BE(0) !== 0x7f454c46) return false;
  const type = data[5] === 2 ? data.readUInt16BE(16) : data.readUInt16LE(16);
  return type === 3;
}

async function* readTar(
  path: string,
): AsyncGenerator<AsyncIterable<Buffer> & { header: Header; resume(): void }> {
  const parser = extract();
  const source = createReadStream(path);
  source.once('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    yield* parser as unknown as AsyncIterable<
      AsyncIterable<Buffer> & { header: Header; resume(): void }
    >;
  } finally {
    source.destroy();
  }
}

async function readAll(entry: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function addEntry(packer: ReturnType<typeof pack>, header: Header, data?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    if (data) packer.entry(header, data, done);
    else packer.entry(header, done);
  });
}
