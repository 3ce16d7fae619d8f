/**
 * Incremental `lbuild package`: after files are added, changed and deleted, the zip written from
 * cached entries is byte-for-byte the zip a build with no cache writes, only the changed files are
 * deflated and audited again, the cache keeps only what the last build used, and the timings add
 * up. A project without a dependency file needs no Docker engine.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditZip } from '../../../src/audit/index.js';
import { loadProject } from '../../../src/config/load.js';
import { packageProject } from '../../../src/package/package-project.js';
import type { PackageReport } from '../../../src/package/report.js';
import { auditFixtures } from '../audit/toolchain.js';
import { commandGate } from '../../support/gates.js';

const gcc = commandGate('gcc', ['--version']);

/** Incompressible but the same every run. */
function seeded(length: number, seed: string): Buffer {
  const out = Buffer.alloc(length);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < length; i += block.length) {
    block.copy(out, i);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

function blobFiles(root: string): string[] {
  const dir = join(root, '.lbuild', 'cache', 'zip-entries');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) =>
    /^deflate\d-zlib[^/]+\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(path),
  );
}

describe.skipIf(gcc.skipReason)('incremental zips', () => {
  let dir: string;
  const build = (out?: string) =>
    packageProject(loadProject(dir), { imageSource: 'offline', ...(out ? { out } : {}) });

  beforeAll(() => {
    vi.stubEnv('SOURCE_DATE_EPOCH', '');
    dir = mkdtempSync(join(tmpdir(), 'lbuild-incremental-'));
    writeFileSync(
      join(dir, 'lbuild.json'),
      JSON.stringify({
        name: 'inc',
        runtime: 'python3.11',
        functions: { api: { handler: 'app.handler' } },
      }),
    );
    writeFileSync(join(dir, 'app.py'), 'def handler(event, context):\n    return 1\n');
    mkdirSync(join(dir, 'lib'));
    for (let i = 0; i < 12; i++)
      writeFileSync(join(dir, 'lib', `m${i}.py`), `VALUE = ${i}\n${'# filler\n'.repeat(50 * i)}`);
    writeFileSync(join(dir, 'lib', 'empty.py'), '');
    writeFileSync(join(dir, 'lib', 'blob.bin'), seeded(70_000, 'blob'));
    // An ELF file that needs glibc 2.36 (newer than python3.11's 2.34): the audit has a finding.
    spawnSync('gcc', [
      '-O2',
      '-fPIC',
      '-shared',
      '-o',
      join(dir, 'lib', 'librandom.so'),
      join(auditFixtures, 'arc4random.c'),
    ]);
    mkdirSync(join(dir, 'x-1.0.dist-info'));
    writeFileSync(
      join(dir, 'x-1.0.dist-info', 'WHEEL'),
      'Wheel-Version: 1.0\nTag: cp311-cp311-musllinux_1_1_x86_64\n',
    );
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  let first: PackageReport;
  let incremental: PackageReport;
  let incrementalBytes: Buffer;

  it('reuses every unchanged entry after adding, changing and deleting files', async () => {
    first = await build();
    expect(first.reusedEntries).toEqual({ reused: 0, entries: first.files });
    expect(first.audit?.reusedFiles).toBe(0);
    expect(first.audit?.errors).toBeGreaterThan(0); // arc4random and the musllinux wheel

    writeFileSync(join(dir, 'lib', 'added.py'), 'ADDED = True\n');
    appendFileSync(join(dir, 'app.py'), '# changed\n');
    rmSync(join(dir, 'lib', 'm3.py'));
    incremental = await build();
    incrementalBytes = readFileSync(incremental.zip);

    expect(incremental.files).toBe(first.files);
    // Deflated again: the added and the changed file (the empty one is never worth a blob).
    expect(incremental.reusedEntries).toEqual({
      reused: incremental.files - 3,
      entries: incremental.files,
    });
    // Read again by the audit: the same two files.
    expect(incremental.audit?.reusedFiles).toBe(incremental.files - 2);
  });

  it('writes the same bytes as a build with no cache at all', async () => {
    rmSync(join(dir, '.lbuild', 'cache'), { recursive: true, force: true });
    const clean = await build();
    expect(clean.reusedEntries.reused).toBe(0);
    expect(clean.audit?.reusedFiles).toBe(0);
    const cleanBytes = readFileSync(clean.zip);
    expect(cleanBytes.equals(incrementalBytes)).toBe(true);
    expect(clean.sha256).toBe(incremental.sha256);
    // The audit verdict is the same whether facts came from the cache or from the bytes.
    const { reusedFiles: _a, ...fromCache } = incremental.audit!;
    const { reusedFiles: _b, ...fromBytes } = clean.audit!;
    expect(fromCache).toEqual(fromBytes);
    const full = await auditZip(clean.zip, { runtime: 'python3.11', architecture: 'x86_64' });
    expect(fromBytes.errors).toBe(full.errors.length);
    expect(fromBytes.warnings).toBe(full.warnings.length);
  });

  it('keeps only the blobs the last build used', async () => {
    const before = await build();
    expect(before.reusedEntries.reused).toBe(before.files - 1);
    writeFileSync(join(dir, 'lib', 'm5.py'), 'VALUE = "five"\n');
    rmSync(join(dir, 'lib', 'm6.py'));
    const after = await build();
    // One blob per non-empty entry of this build: m5's old blob and m6's are gone.
    expect(blobFiles(dir)).toHaveLength(after.files - 1);
    // Another output of the same project keeps its own blobs alive.
    const other = await build(`${dir}-other.zip`);
    expect(other.reusedEntries.reused).toBe(other.files - 1);
    writeFileSync(join(dir, 'lib', 'm7.py'), 'VALUE = "seven"\n');
    await build();
    expect(blobFiles(dir)).toHaveLength(after.files); // m7's old blob: the other output uses it
    rmSync(other.zip, { force: true });
  });

  it('breaks the build down into stages that add up to the total', async () => {
    appendFileSync(join(dir, 'app.py'), '# timed\n');
    const report = await build();
    const { timings } = report;
    expect(timings.stages.map((s) => s.name)).toEqual(['collect', 'dependencies', 'zip', 'audit']);
    const zip = timings.stages.find((s) => s.name === 'zip')!;
    expect(zip.steps?.map((s) => s.name)).toEqual(['entries', 'write']);
    const sum = timings.stages.reduce((total, stage) => total + stage.ms, 0);
    expect(Math.abs(sum + timings.otherMs - timings.totalMs)).toBeLessThanOrEqual(
      timings.stages.length + 1, // rounding of each stage
    );
    // The stages account for the work: what falls between them is bookkeeping.
    expect(timings.otherMs).toBeLessThanOrEqual(Math.max(25, timings.totalMs * 0.2));
    expect(report.durationMs).toBe(timings.totalMs);
    expect(report.stages.zip).toBe(zip.ms);
  });
});
