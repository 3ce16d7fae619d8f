/**
 * The zip entry cache under damage: a blob that is bit-flipped, truncated or not ours is ignored,
 * the entry is deflated again and the blob rewritten, and the zip is the same bytes either way.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  writeReproducibleZip,
  ZipEntryCache,
  type ZipEntryInput,
} from '../../../src/package/zip/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lbuild-entry-cache-'));
  vi.stubEnv('SOURCE_DATE_EPOCH', '');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function entries(): ZipEntryInput[] {
  const noise = Buffer.alloc(40_000);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  return [
    { name: 'app.py', mode: 0o644, data: Buffer.from('print("hi")\n'.repeat(300)) },
    { name: 'lib/a.py', mode: 0o644, data: Buffer.from('A = 1\n'.repeat(100)) },
    { name: 'lib/b.py', mode: 0o644, data: Buffer.from('B = 2\n'.repeat(100)) },
    { name: 'lib/noise.bin', mode: 0o755, data: noise }, // stored: deflate would not shrink it
    { name: 'lib/c.py', mode: 0o644, data: () => Promise.resolve(Buffer.from('C = 3\n')) },
  ];
}

async function blobOf(cache: ZipEntryCache, data: Buffer): Promise<string> {
  return cache.pathOf(sha256(data), 6);
}

describe('ZipEntryCache', () => {
  it('ignores damaged blobs, rebuilds them, and the zip stays byte-identical', async () => {
    const cacheDir = path.join(dir, 'cache');
    const clean = await writeReproducibleZip(entries(), path.join(dir, 'clean.zip'));
    const cold = new ZipEntryCache(cacheDir);
    const first = await writeReproducibleZip(entries(), path.join(dir, 'first.zip'), {
      cache: cold,
    });
    expect(first.sha256).toBe(clean.sha256);
    expect(first.reusedEntries).toBe(0);

    const [app, a, b, noise] = entries().map((e) => e.data as Buffer);
    // A flipped bit in the deflated bytes, a truncated blob, a stored blob with a flipped bit,
    // and a file that is not a blob at all.
    const flipped = await readFile(await blobOf(cold, app!));
    flipped[flipped.length - 3]! ^= 0x10;
    await writeFile(await blobOf(cold, app!), flipped);
    await truncate(await blobOf(cold, a!), 40);
    const stored = await readFile(await blobOf(cold, noise!));
    stored[100]! ^= 0x01;
    await writeFile(await blobOf(cold, noise!), stored);
    await writeFile(await blobOf(cold, b!), 'not a blob');

    const warm = new ZipEntryCache(cacheDir);
    const second = await writeReproducibleZip(entries(), path.join(dir, 'second.zip'), {
      cache: warm,
    });
    expect(warm.rejected).toBe(4);
    expect(second.reusedEntries).toBe(1); // lib/c.py only
    const [cleanBytes, secondBytes] = await Promise.all([
      readFile(clean.path),
      readFile(second.path),
    ]);
    expect(secondBytes.equals(cleanBytes)).toBe(true);

    // The damaged blobs were replaced: everything is a hit now.
    const healed = new ZipEntryCache(cacheDir);
    const third = await writeReproducibleZip(entries(), path.join(dir, 'third.zip'), {
      cache: healed,
    });
    expect(healed.rejected).toBe(0);
    expect(third.reusedEntries).toBe(5);
    expect((await readFile(third.path)).equals(cleanBytes)).toBe(true);
  });

  it('with reuse off takes nothing from the cache but refreshes it; no temp files stay', async () => {
    const cacheDir = path.join(dir, 'cache');
    await writeReproducibleZip(entries(), path.join(dir, 'a.zip'), {
      cache: new ZipEntryCache(cacheDir),
    });
    const again = await writeReproducibleZip(entries(), path.join(dir, 'b.zip'), {
      cache: new ZipEntryCache(cacheDir, { reuse: false }),
    });
    expect(again.reusedEntries).toBe(0);
    const files = await readdir(cacheDir, { recursive: true });
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('finds a hit by a known content hash without loading the entry', async () => {
    const cache = new ZipEntryCache(path.join(dir, 'cache'));
    const first = await writeReproducibleZip(entries(), path.join(dir, 'a.zip'), { cache });
    const known = entries().map((entry) => {
      const data = entry.data as Buffer | (() => Promise<Buffer>);
      if (typeof data === 'function') return entry;
      return {
        ...entry,
        sha256: sha256(data),
        data: () => Promise.reject(new Error(`${entry.name} was loaded`)),
      };
    });
    const second = await writeReproducibleZip(known, path.join(dir, 'b.zip'), { cache });
    expect(second.sha256).toBe(first.sha256);
    expect(second.entries.map((e) => e.sha256)).toEqual(first.entries.map((e) => e.sha256));
  });
});
