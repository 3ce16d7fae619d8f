/**
 * `lbuild audit`: read every file of a package, identify binaries by their first bytes, read ELF
 * dependencies and wheel tags, and judge them against a Lambda runtime and architecture.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserError } from '../errors.js';
import type { Architecture, RuntimeInfo } from '../runtimes/catalog.js';
import { findRuntime } from '../runtimes/lookup.js';
import type { AuditFacts } from './audit-facts.js';
import { collectFacts } from './collect-facts.js';
import type { AuditFactsCache } from './facts-cache.js';
import type { Finding } from './finding.js';
import { folderFiles } from './folder-files.js';
import { maxVersion, parseSymbolVersion } from './glibc-versions.js';
import { entryFiles, type EntryInput, type PackageFile } from './package-files.js';
import { listedZipFiles, type ListedEntry } from './listed-zip-files.js';
import { judge } from './verdict.js';
import { openZip, zipFiles } from './zip-files.js';

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
  /** With a facts cache: files whose facts came from it instead of their bytes. */
  reusedFiles?: number;
}

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

/**
 * A zip that was just written, from the writer's entry list: files with cached facts (by content
 * hash) are not read, the others are read from the zip at the offsets the writer gave. Same
 * verdict as auditZip.
 */
export async function auditListedZip(
  zip: { path: string; bytes: number; entries: ListedEntry[] },
  options: AuditOptions,
  cache: AuditFactsCache,
): Promise<AuditReport> {
  const listed = listedZipFiles(zip.path, zip.entries);
  try {
    return await auditFiles(listed.files, options, zip.path, { zipBytes: zip.bytes, cache });
  } finally {
    await listed.close();
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
  extra: { zipBytes?: number; cache?: AuditFactsCache } = {},
): Promise<AuditReport> {
  const started = performance.now();
  const runtime =
    typeof options.runtime === 'string' ? findRuntime(options.runtime) : options.runtime;
  const { facts, bytes, reusedFiles } = await collectFacts(files, extra.zipBytes, extra.cache);
  const verdict = judge(facts, { runtime, architecture: options.architecture });
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
    requiredGlibc: requiredGlibc(facts),
    errors: verdict.errors,
    warnings: verdict.warnings,
    durationMs: Math.round(performance.now() - started),
    ...(extra.cache ? { reusedFiles } : {}),
  };
}

/** The highest GLIBC_x.y any ELF file of the package needs. */
function requiredGlibc(facts: AuditFacts): string | undefined {
  const glibcNeeds = facts.elf.flatMap(({ info }) =>
    info.versionNeeds.flatMap((n) =>
      n.versions
        .map(parseSymbolVersion)
        .filter((v) => v?.namespace === 'GLIBC')
        .map((v) => v!.version),
    ),
  );
  return maxVersion(glibcNeeds);
}
