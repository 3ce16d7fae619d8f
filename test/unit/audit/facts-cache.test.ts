/**
 * Audit facts kept by content hash: a second audit of the same zip reads no file and judges the
 * same findings as a full audit of the zip; a damaged facts file only costs a full read.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditFactsCache, auditListedZip, auditZip } from '../../../src/audit/index.js';
import { writeReproducibleZip, ZipEntryCache } from '../../../src/package/zip/index.js';
import { commandGate } from '../../support/gates.js';
import { auditFixtures } from './toolchain.js';

const gcc = commandGate('gcc', ['--version']);
const target = { runtime: 'python3.11', architecture: 'x86_64' } as const;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lbuild-facts-cache-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe.skipIf(gcc.skipReason)('AuditFactsCache', () => {
  it('gives the verdict of a full audit without reading the files again', async () => {
    const so = path.join(dir, 'librandom.so');
    spawnSync('gcc', [
      '-O2',
      '-fPIC',
      '-shared',
      '-o',
      so,
      path.join(auditFixtures, 'arc4random.c'),
    ]);
    const zip = await writeReproducibleZip(
      [
        { name: 'app.py', mode: 0o644, data: Buffer.from('import x\n') },
        { name: 'lib/librandom.so', mode: 0o755, data: await readFile(so) },
        {
          name: 'x-1.0.dist-info/WHEEL',
          mode: 0o644,
          data: Buffer.from('Wheel-Version: 1.0\nTag: cp311-cp311-musllinux_1_1_x86_64\n'),
        },
      ],
      path.join(dir, 'out.zip'),
      { cache: new ZipEntryCache(path.join(dir, 'entries')) },
    );
    const full = await auditZip(zip.path, target);
    expect(full.errors.map((f) => f.kind).sort()).toEqual([
      'glibc-too-new',
      'wheel-wrong-platform',
    ]);

    const factsFile = path.join(dir, 'facts.json');
    const first = await AuditFactsCache.load(factsFile, '1.0.0');
    const read = await auditListedZip(zip, target, first);
    await first.save();
    const second = await AuditFactsCache.load(factsFile, '1.0.0');
    const cached = await auditListedZip(zip, target, second);
    expect(read.reusedFiles).toBe(0);
    expect(cached.reusedFiles).toBe(3);
    for (const report of [read, cached]) {
      expect(report.errors).toEqual(full.errors);
      expect(report.warnings).toEqual(full.warnings);
      expect(report.requiredGlibc).toBe(full.requiredGlibc);
      expect(report.files).toBe(full.files);
    }

    // Another lbuild version, or a damaged file: nothing is trusted, everything is read again.
    expect(
      (await auditListedZip(zip, target, await AuditFactsCache.load(factsFile, '2.0.0')))
        .reusedFiles,
    ).toBe(0);
    await writeFile(factsFile, '{"format": 1, "version": "1.0.0", "facts": {');
    const damaged = await auditListedZip(
      zip,
      target,
      await AuditFactsCache.load(factsFile, '1.0.0'),
    );
    expect(damaged.reusedFiles).toBe(0);
    expect(damaged.errors).toEqual(full.errors);
  });
});
