/**
 * `lbuild audit`: read every file of a package, identify binaries by their first bytes, read ELF
 * dependencies and wheel tags, and judge them against a Lambda runtime and architecture.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserError } from '../errors.js';
import type { Architecture, RuntimeInfo } from '../runtimes/catalog.js';
import { findRuntime } from '../runtimes/lookup.js';
import { identifyBinary } from './binary-kind.js';
import { ElfFormatError, readElf } from './elf-reader.js';
import { folderFiles } from './folder-files.js';
import { maxVersion, parseSymbolVersion } from './glibc-versions.js';
import { entryFiles, type EntryInput, type PackageFile } from './package-files.js';
import { judge, type AuditFacts, type Finding } from './verdict.js';
import { isWheelMetadata, parseWheelFile } from './wheel-tags.js';
import { EntryReadError, openZip, zipFiles } from './zip-files.js';

export interface AuditOptions {
  /** A runtime name ("python3.11") or its catalog entry. */
  runtime: RuntimeInfo | string;
  architecture: Architecture;
}

export interface AuditReport {
  ok: boolean;
  /** What was audited: the zip or folder path, or "entries". */
  source: string;
  runtime: string;
  os: RuntimeInfo['os'];
  /** The runtime's glibc. */
  glibc: string;
  architecture: Architecture;
  files: number;
  /** Uncompressed bytes of all files. */
  bytes: number;
  elfFiles: number;
  wheels: number;
  /** The highest GLIBC_x.y any ELF file in the package needs, if any needs one. */
  requiredGlibc: string | undefined;
  errors: Finding[];
  warnings: Finding[];
  durationMs: number;
}

/** Files read at once: enough to overlap file-system latency, few enough to keep memory flat. */
const concurrency = 8;

export async function auditZip(path: string, options: AuditOptions): Promise<AuditReport> {
  const opened = await openZip(path);
  try {
    return await auditFiles(zipFiles(opened, path), options, path, {
      zipBytes: opened.data.length,
    });
  } finally {
    opened.zip.close();
  }
}

export async function auditFolder(dir: string, options: AuditOptions): Promise<AuditReport> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new UserError(`${dir} is not a folder`, {
      hint: 'Pass the unpacked code folder or a deployment zip.',
    });
  return auditFiles(folderFiles(dir), options, dir);
}

export async function auditEntries(
  entries: AsyncIterable<EntryInput> | Iterable<EntryInput>,
  options: AuditOptions,
): Promise<AuditReport> {
  return auditFiles(entryFiles(entries), options, 'entries');
}

/** A folder, a zip (by its magic, whatever its name) or a single file such as one .so. */
export async function auditPath(path: string, options: AuditOptions): Promise<AuditReport> {
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new UserError(`${path} does not exist`, {
      hint: 'Pass a deployment zip, a code folder or a single binary.',
    });
  if (info.isDirectory()) return auditFolder(path, options);
  if (await looksLikeZip(path)) return auditZip(path, options);
  const handle = await open(path, 'r');
  try {
    const data = await handle.readFile();
    return await auditFiles(entryFiles([{ name: basename(path), data }]), options, path);
  } finally {
    await handle.close();
  }
}

async function looksLikeZip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    // Local file header, or the end record of an empty zip.
    return (
      bytesRead === 4 &&
      (buffer.readUInt32LE(0) === 0x04034b50 || buffer.readUInt32LE(0) === 0x06054b50)
    );
  } finally {
    await handle.close();
  }
}

export async function auditFiles(
  files: AsyncIterable<PackageFile>,
  options: AuditOptions,
  source = 'entries',
  extra: { zipBytes?: number } = {},
): Promise<AuditReport> {
  const started = performance.now();
  const runtime =
    typeof options.runtime === 'string' ? findRuntime(options.runtime) : options.runtime;
  const facts: AuditFacts = {
    files: [],
    zipBytes: extra.zipBytes,
    elf: [],
    foreign: [],
    wheels: [],
    unreadable: [],
  };
  let bytes = 0;

  const inspect = async (file: PackageFile): Promise<void> => {
    facts.files.push({ name: file.name, size: file.size });
    bytes += file.size;
    try {
      if (isWheelMetadata(file.name)) {
        const text = (await file.bytes.read(0, file.size)).toString('utf8');
        facts.wheels.push({ file: file.name, wheel: parseWheelFile(file.name, text) });
        return;
      }
      const binary = await identifyBinary(file.bytes);
      if (!binary) return;
      if (binary.format === 'elf')
        facts.elf.push({ file: file.name, info: await readElf(file.bytes) });
      else facts.foreign.push({ file: file.name, info: binary });
    } catch (error) {
      if (!isReadProblem(error)) throw error;
      facts.unreadable.push({ file: file.name, reason: error.message });
    } finally {
      await file.close?.();
    }
  };

  const iterator = files[Symbol.asyncIterator]();
  const worker = async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      await inspect(next.value);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  const verdict = judge(facts, { runtime, architecture: options.architecture });
  const glibcNeeds = facts.elf.flatMap(({ info }) =>
    info.versionNeeds.flatMap((n) =>
      n.versions
        .map(parseSymbolVersion)
        .filter((v) => v?.namespace === 'GLIBC')
        .map((v) => v!.version),
    ),
  );
  return {
    ok: verdict.errors.length === 0,
    source,
    runtime: runtime.name,
    os: runtime.os,
    glibc: runtime.glibc,
    architecture: options.architecture,
    files: facts.files.length,
    bytes,
    elfFiles: facts.elf.length,
    wheels: facts.wheels.length,
    requiredGlibc: maxVersion(glibcNeeds),
    errors: verdict.errors,
    warnings: verdict.warnings,
    durationMs: Math.round(performance.now() - started),
  };
}

/** A problem with one file's bytes (corrupt, truncated, unreadable entry), not a bug in lbuild. */
function isReadProblem(error: unknown): error is Error {
  if (error instanceof ElfFormatError || error instanceof EntryReadError) return true;
  const code = (error as { code?: unknown }).code;
  // Buffer reads past the end of a truncated table.
  if (
    error instanceof RangeError &&
    (code === 'ERR_OUT_OF_RANGE' || code === 'ERR_BUFFER_OUT_OF_BOUNDS')
  )
    return true;
  // A file in a folder that cannot be opened, or vanished while the audit ran.
  return (
    error instanceof Error &&
    typeof code === 'string' &&
    ['EACCES', 'EPERM', 'ENOENT', 'EISDIR', 'ELOOP', 'EIO'].includes(code)
  );
}
