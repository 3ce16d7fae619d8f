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
import { pipeline } from 'node:stream/promises';
import { extract, pack, type Header } from 'tar-stream';
import { slimMatcher, type ResolvedSlim } from './options.js';
import { sharedObjectName } from './rules.js';
import { bytesInZip, linkTarget, removalSet, type HeaderFacts } from './removal-set.js';

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
  const headers = await readHeaders(rawTar, relative);
  const removed = removalSet(
    headers,
    (rel, isDir) => rel !== '' && matcher.removes(isDir ? `${rel}/` : rel),
    prefix,
  );
  // Pass 2: copy what stays, look at shared objects on the way.
  const copier = new KeptFilesCopier({ slim, matcher, headers, removed, prefix, relative });
  const result = await copier.copy(rawTar, outTar);
  result.candidates.sort();
  return result;
}

async function readHeaders(
  rawTar: string,
  relative: (name: string) => string,
): Promise<Map<string, HeaderFacts>> {
  const headers = new Map<string, HeaderFacts>();
  for await (const entry of readTar(rawTar)) {
    headers.set(relative(entry.header.name), {
      type: entry.header.type,
      linkname: entry.header.linkname ?? undefined,
      size: entry.header.size ?? 0,
    });
    entry.resume();
  }
  return headers;
}

interface FilterPlan {
  slim: ResolvedSlim;
  matcher: ReturnType<typeof slimMatcher>;
  headers: Map<string, HeaderFacts>;
  removed: Set<string>;
  prefix: string;
  relative: (name: string) => string;
}

type TarEntry = AsyncIterable<Buffer> & { header: Header; resume(): void };

/** Pass 2 of filterDependencyTar: the tar again, writing what stays and counting what goes. */
class KeptFilesCopier {
  private readonly result: FilterResult = {
    removedFiles: 0,
    removedBytes: 0,
    candidates: [],
    skipped: [],
  };
  private readonly packer = pack();
  /** Removed files that a kept hard link names: their bytes move to the link. */
  private readonly orphanTargets = new Set<string>();
  private readonly orphanData = new Map<string, { data: Buffer; mode: number | undefined }>();
  private readonly restored = new Set<string>();

  constructor(private readonly plan: FilterPlan) {
    for (const [rel, facts] of plan.headers) {
      if (facts.type !== 'link' || plan.removed.has(rel)) continue;
      const target = linkTarget(rel, facts, plan.prefix);
      if (target !== undefined && plan.removed.has(target)) this.orphanTargets.add(target);
    }
  }

  async copy(rawTar: string, outTar: string): Promise<FilterResult> {
    const written = pipeline(this.packer, createWriteStream(outTar));
    try {
      for await (const entry of readTar(rawTar)) await this.copyEntry(entry);
      this.packer.finalize();
      await written;
    } catch (error) {
      this.packer.destroy(error as Error);
      await written.catch(() => {});
      throw error;
    }
    return this.result;
  }

  private async copyEntry(entry: TarEntry): Promise<void> {
    const header = entry.header;
    const rel = this.plan.relative(header.name);
    if (this.plan.removed.has(rel)) return this.leaveOut(entry, rel);
    const orphanName =
      header.type === 'link'
        ? linkTarget(
            rel,
            { type: 'link', linkname: header.linkname ?? undefined, size: 0 },
            this.plan.prefix,
          )
        : undefined;
    const orphan = orphanName === undefined ? undefined : this.orphanData.get(orphanName);
    if (orphanName !== undefined && orphan) {
      entry.resume();
      // The target was counted as removed, but its bytes live on under this name.
      if (!this.restored.has(orphanName)) {
        this.restored.add(orphanName);
        this.result.removedFiles -= 1;
        this.result.removedBytes -= orphan.data.length;
      }
      return this.addFile(header, orphan.data, orphan.mode);
    }
    if (header.type !== 'file' && header.type !== 'contiguous-file') {
      entry.resume();
      return addEntry(this.packer, header);
    }
    return this.addFile(header, await readAll(entry), header.mode);
  }

  private async leaveOut(entry: TarEntry, rel: string): Promise<void> {
    this.result.removedFiles += 1;
    this.result.removedBytes += bytesInZip(rel, this.plan.headers, this.plan.prefix);
    if (this.orphanTargets.has(rel))
      this.orphanData.set(rel, { data: await readAll(entry), mode: entry.header.mode });
    else entry.resume();
  }

  private async addFile(header: Header, data: Buffer, mode: number | undefined): Promise<void> {
    const { slim, matcher } = this.plan;
    const rel = this.plan.relative(header.name);
    if (slim.strip.enabled && sharedObjectName.test(rel) && isElfSharedObject(data)) {
      if (matcher.keepsSymbols(rel)) this.result.skipped.push({ path: rel, reason: 'excluded' });
      else if (data.length < slim.strip.minBytes)
        this.result.skipped.push({
          path: rel,
          reason: 'below-min-bytes',
          detail: `${data.length} bytes`,
        });
      else this.result.candidates.push(rel);
    }
    await addEntry(
      this.packer,
      { ...header, type: 'file', linkname: '', size: data.length, mode: mode ?? 0o644 },
      data,
    );
  }
}

/** ELF, type ET_DYN: shared libraries, extension modules and Node addons (not executables by name). */
export function isElfSharedObject(data: Buffer): boolean {
  if (data.length < 18 || data.readUInt32BE(0) !== 0x7f454c46) return false;
  const type = data[5] === 2 ? data.readUInt16BE(16) : data.readUInt16LE(16);
  return type === 3;
}

async function* readTar(path: string): AsyncGenerator<TarEntry> {
  const parser = extract();
  const source = createReadStream(path);
  source.once('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    yield* parser as unknown as AsyncIterable<TarEntry>;
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
