import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InternalError, UserError } from '../../../src/errors.js';
import { writeReproducibleZip, type ZipEntryInput } from '../../../src/package/zip/index.js';
import { expectedDos, readZip } from './zip-reader.js';
import { commandGate } from '../../support/gates.js';

const hasUnzip = !commandGate('unzip', ['-v']).skipReason;
const hasPython = !commandGate('python3', ['-c', 'import zipfile']).skipReason;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lbuild-zip-'));
  vi.stubEnv('SOURCE_DATE_EPOCH', '');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

const text = (s: string) => Buffer.from(s, 'utf8');

function sampleEntries(): ZipEntryInput[] {
  return [
    { name: 'app.py', mode: 0o100600, data: text('import json\n'.repeat(200)) },
    { name: 'bin/run', mode: 0o100700, data: text('#!/bin/sh\nexec python3 app.py\n') },
    { name: 'lib/a/__init__.py', mode: 0o644, data: text('') },
    { name: 'lib/a/data.bin', mode: 0o100664, data: randomBytesSeeded(70_000) },
    { name: 'lib/a-b.py', mode: 0o100644, data: text('x = 1\n') },
    { name: 'lib/B.py', mode: 0o100644, data: text('y = 2\n') },
    { name: 'lib/ä.py', mode: 0o100644, data: text('z = 3\n') },
    {
      name: 'lib/big.txt',
      mode: 0o100644,
      data: () => Promise.resolve(text('lorem ipsum dolor sit amet '.repeat(40_000))),
    },
  ];
}

/** Incompressible but identical across runs, so sha256s can be compared between calls. */
function randomBytesSeeded(length: number): Buffer {
  const out = Buffer.alloc(length);
  let block = createHash('sha256').update('seed').digest();
  for (let i = 0; i < length; i += block.length) {
    block.copy(out, i);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

const sha256File = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('writeReproducibleZip', () => {
  it('gives the same bytes for the same entries in any order and at any concurrency', async () => {
    const entries = sampleEntries();
    const shuffled = [
      entries[5]!,
      entries[0]!,
      entries[7]!,
      entries[2]!,
      entries[6]!,
      entries[1]!,
      entries[4]!,
      entries[3]!,
    ];
    const a = await writeReproducibleZip(entries, path.join(dir, 'a.zip'));
    const b = await writeReproducibleZip(shuffled, path.join(dir, 'b.zip'), { concurrency: 1 });
    const c = await writeReproducibleZip(entries.slice().reverse(), path.join(dir, 'c.zip'), {
      concurrency: 16,
    });
    expect(b.sha256).toBe(a.sha256);
    expect(c.sha256).toBe(a.sha256);
    expect(await sha256File(a.path)).toBe(a.sha256);
    expect(a.files).toBe(8);
    expect(a.bytes).toBe((await readFile(a.path)).length);
    expect(a.unzippedBytes).toBe(
      entries.reduce((sum, e) => sum + (Buffer.isBuffer(e.data) ? e.data.length : 0), 0) +
        27 * 40_000,
    );
    expect(a.zlibVersion).toBe(process.versions.zlib);
  });

  it('sorts entries by the bytes of their UTF-8 names', async () => {
    await writeReproducibleZip(sampleEntries(), path.join(dir, 'a.zip'));
    const names = readZip(path.join(dir, 'a.zip')).entries.map((e) => e.name);
    expect(names).toEqual([
      'app.py',
      'bin/run',
      'lib/B.py',
      'lib/a-b.py',
      'lib/a/__init__.py',
      'lib/a/data.bin',
      'lib/big.txt',
      'lib/ä.py',
    ]);
  });

  it('writes 1980-01-01 00:00:00 in every local and central header, Unix "made by", no extra fields', async () => {
    await writeReproducibleZip(sampleEntries(), path.join(dir, 'a.zip'));
    const { entries } = readZip(path.join(dir, 'a.zip'));
    const want = expectedDos(1980, 1, 1, 0, 0, 0);
    for (const entry of entries) {
      expect(entry.localMatchesCentral, entry.name).toBe(true);
      expect({ dosDate: entry.dosDate, dosTime: entry.dosTime }).toEqual(want);
      expect(entry.versionMadeBy >> 8).toBe(3);
      expect(entry.localExtraLength).toBe(0);
      expect(entry.centralExtraLength).toBe(0);
      expect(entry.commentLength).toBe(0);
      expect(entry.flags & 0x08).toBe(0); // no data descriptors
    }
    expect(entries.find((e) => e.name === 'lib/ä.py')!.flags & 0x800).toBe(0x800);
    expect(entries.find((e) => e.name === 'app.py')!.flags).toBe(0);
  });

  it('normalises modes to 0644 and 0755 regular files', async () => {
    const modes: Array<[number, number]> = [
      [0o100600, 0o100644],
      [0o100664, 0o100644],
      [0o644, 0o100644],
      [0o100700, 0o100755],
      [0o100744, 0o100755],
      [0o010, 0o100755],
      [0o4777, 0o100755],
    ];
    const entries = modes.map(([mode], i) => ({ name: `f${i}`, mode, data: text(`${i}`) }));
    await writeReproducibleZip(entries, path.join(dir, 'a.zip'));
    const parsed = readZip(path.join(dir, 'a.zip')).entries;
    expect(parsed.map((e) => e.externalAttributes >>> 16)).toEqual(modes.map(([, want]) => want));
    expect(parsed.every((e) => (e.externalAttributes & 0xffff) === 0)).toBe(true);
  });

  it('rejects non-regular modes: directories and links are resolved before zipping', async () => {
    await expect(
      writeReproducibleZip([{ name: 'd', mode: 0o40755, data: text('') }], path.join(dir, 'a.zip')),
    ).rejects.toBeInstanceOf(InternalError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('uses SOURCE_DATE_EPOCH, rounded down to 2 seconds, and changes the bytes', async () => {
    const base = await writeReproducibleZip(sampleEntries(), path.join(dir, 'base.zip'));
    vi.stubEnv('SOURCE_DATE_EPOCH', '1700000001'); // 2023-11-14 22:13:21 UTC
    const dated = await writeReproducibleZip(sampleEntries(), path.join(dir, 'dated.zip'));
    expect(dated.sha256).not.toBe(base.sha256);
    const want = expectedDos(2023, 11, 14, 22, 13, 20);
    for (const entry of readZip(dated.path).entries)
      expect({ dosDate: entry.dosDate, dosTime: entry.dosTime }).toEqual(want);
  });

  it('clamps timestamps to the DOS range and lets options.mtime win over the environment', async () => {
    vi.stubEnv('SOURCE_DATE_EPOCH', '0');
    const early = await writeReproducibleZip(
      [{ name: 'a', mode: 0o644, data: text('a') }],
      path.join(dir, 'early.zip'),
    );
    expect(readZip(early.path).entries[0]).toMatchObject(expectedDos(1980, 1, 1, 0, 0, 0));
    const late = await writeReproducibleZip(
      [{ name: 'a', mode: 0o644, data: text('a') }],
      path.join(dir, 'late.zip'),
      {
        mtime: new Date(Date.UTC(2200, 5, 1)),
      },
    );
    expect(readZip(late.path).entries[0]).toMatchObject(expectedDos(2107, 12, 31, 23, 59, 58));
  });

  it('does not depend on the time zone of the machine', async () => {
    vi.stubEnv('SOURCE_DATE_EPOCH', '1700000001');
    vi.stubEnv('TZ', 'UTC');
    const utc = await writeReproducibleZip(sampleEntries(), path.join(dir, 'utc.zip'));
    vi.stubEnv('TZ', 'Pacific/Kiritimati'); // UTC+14: a different calendar day
    expect(new Date(1700000001000).getDate()).toBe(15);
    const kiritimati = await writeReproducibleZip(
      sampleEntries(),
      path.join(dir, 'kiritimati.zip'),
    );
    expect(kiritimati.sha256).toBe(utc.sha256);
  });

  it('rejects a malformed SOURCE_DATE_EPOCH', async () => {
    vi.stubEnv('SOURCE_DATE_EPOCH', 'yesterday');
    await expect(writeReproducibleZip([], path.join(dir, 'a.zip'))).rejects.toThrow(
      /SOURCE_DATE_EPOCH/,
    );
  });

  it('deflates at level 6 and stores entries that deflate does not shrink', async () => {
    const entries = sampleEntries();
    await writeReproducibleZip(entries, path.join(dir, 'a.zip'));
    const byName = new Map(readZip(path.join(dir, 'a.zip')).entries.map((e) => [e.name, e]));
    expect(byName.get('lib/big.txt')!.method).toBe(8);
    expect(byName.get('lib/a/data.bin')!.method).toBe(0); // random bytes
    expect(byName.get('lib/a/data.bin')!.compressedSize).toBe(70_000);
    expect(byName.get('lib/a/__init__.py')!.method).toBe(0); // empty
    expect(byName.get('lib/a-b.py')!.method).toBe(0); // 6 bytes: deflate adds overhead
    for (const entry of entries) {
      const data = typeof entry.data === 'function' ? await entry.data() : entry.data;
      expect(byName.get(entry.name)!.content.equals(data), entry.name).toBe(true);
    }
    const stored = await writeReproducibleZip(entries, path.join(dir, 'stored.zip'), { level: 0 });
    expect(readZip(stored.path).entries.every((e) => e.method === 0)).toBe(true);
  });

  it.skipIf(!hasUnzip)(
    'passes `unzip -t` and `unzip -Z` shows -rw-r--r-- / -rwxr-xr-x',
    async () => {
      const out = path.join(dir, 'a.zip');
      await writeReproducibleZip(sampleEntries(), out);
      const test = spawnSync('unzip', ['-t', out], { encoding: 'utf8' });
      expect(test.status, test.stdout + test.stderr).toBe(0);
      expect(test.stdout).toMatch(/No errors detected/);
      const info = spawnSync('unzip', ['-Z', out], { encoding: 'utf8' }).stdout;
      expect(info).toMatch(/-rwxr-xr-x .* unx .* bin\/run/);
      expect(info).toMatch(/-rw-r--r-- .* unx .* app\.py/);
      expect(info).toMatch(/80-Jan-01 00:00|1980-01-01 00:00|01-Jan-80 00:00/);
    },
  );

  it.skipIf(!hasPython)("reads back with Python's zipfile: dates, modes, content", async () => {
    vi.stubEnv('SOURCE_DATE_EPOCH', '1700000001');
    const out = path.join(dir, 'a.zip');
    await writeReproducibleZip(sampleEntries(), out);
    const script = [
      'import json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(json.dumps([[i.filename, list(i.date_time), i.external_attr >> 16, i.create_system, len(i.extra), len(z.read(i))] for i in z.infolist()]))',
    ].join('\n');
    const result = spawnSync('python3', ['-c', script, out], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<
      [string, number[], number, number, number, number]
    >;
    expect(rows).toHaveLength(8);
    for (const [, dateTime, mode, system, extra] of rows) {
      expect(dateTime).toEqual([2023, 11, 14, 22, 13, 20]);
      expect([0o100644, 0o100755]).toContain(mode);
      expect(system).toBe(3);
      expect(extra).toBe(0);
    }
    expect(rows.find((r) => r[0] === 'lib/big.txt')![5]).toBe(27 * 40_000);
  });

  it('rejects zip-slip names, directories and duplicates before creating any file', async () => {
    const bad = [
      '../evil.py',
      'a/../../evil.py',
      '/etc/passwd',
      'C:/x',
      'a\\..\\..\\x',
      'dir/',
      '',
      './',
    ];
    for (const name of bad) {
      await expect(
        writeReproducibleZip([{ name, mode: 0o644, data: text('x') }], path.join(dir, 'a.zip')),
        name,
      ).rejects.toBeInstanceOf(UserError);
    }
    const duplicate = writeReproducibleZip(
      [
        { name: 'a/b.py', mode: 0o644, data: text('1') },
        { name: './a//b.py', mode: 0o644, data: text('2') },
      ],
      path.join(dir, 'a.zip'),
    );
    await expect(duplicate).rejects.toThrow(/two zip entries are both named "a\/b.py"/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('normalises ./ prefixes and doubled slashes', async () => {
    await writeReproducibleZip(
      [{ name: './a//b/./c.py', mode: 0o644, data: text('c') }],
      path.join(dir, 'a.zip'),
    );
    expect(readZip(path.join(dir, 'a.zip')).entries.map((e) => e.name)).toEqual(['a/b/c.py']);
  });

  it('leaves neither the zip nor its temp file behind when an entry fails mid-way', async () => {
    const out = path.join(dir, 'out.zip');
    const entries: ZipEntryInput[] = Array.from({ length: 200 }, (_, i) => ({
      name: `f${String(i).padStart(3, '0')}.txt`,
      mode: 0o644,
      data:
        i === 150
          ? () => Promise.reject(new Error('disk went away'))
          : () =>
              new Promise<Buffer>((resolve) =>
                setTimeout(() => resolve(text(`file ${i}\n`.repeat(20_000))), 1),
              ),
    }));
    await expect(writeReproducibleZip(entries, out)).rejects.toThrow('disk went away');
    expect(await readdir(dir)).toEqual([]);
  });

  it('accepts an async iterable and never has more than `concurrency` loads in flight', async () => {
    let active = 0;
    let peak = 0;
    async function* generate(): AsyncGenerator<ZipEntryInput> {
      for (let i = 0; i < 40; i++) {
        yield {
          name: `f${i}`,
          mode: 0o644,
          data: async () => {
            peak = Math.max(peak, ++active);
            await new Promise((resolve) => setTimeout(resolve, 2));
            active--;
            return text(`content ${i} `.repeat(1000));
          },
        };
      }
    }
    const result = await writeReproducibleZip(generate(), path.join(dir, 'a.zip'), {
      concurrency: 3,
    });
    expect(result.files).toBe(40);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('writes a ZIP64 end record for 65535+ entries', async () => {
    const count = 70_000;
    const entries = Array.from({ length: count }, (_, i) => ({
      name: `d${i % 100}/f${i}`,
      mode: 0o644,
      data: text(String(i)),
    }));
    const out = path.join(dir, 'many.zip');
    const result = await writeReproducibleZip(entries, out, { level: 0 });
    const parsed = readZip(out);
    expect(parsed.zip64).toBe(true);
    expect(parsed.entryCount).toBe(count);
    expect(result.files).toBe(count);
    if (hasPython) {
      const check = spawnSync(
        'python3',
        [
          '-c',
          'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(len(z.infolist())); assert z.read("d7/f12307") == b"12307"',
          out,
        ],
        {
          encoding: 'utf8',
        },
      );
      expect(check.status, check.stderr).toBe(0);
      expect(check.stdout.trim()).toBe(String(count));
    }
    if (hasUnzip) expect(spawnSync('unzip', ['-tq', out]).status).toBe(0);
  });

  it('validates options', async () => {
    await expect(
      writeReproducibleZip([], path.join(dir, 'a.zip'), { level: 10 }),
    ).rejects.toBeInstanceOf(UserError);
    await expect(
      writeReproducibleZip([], path.join(dir, 'a.zip'), { concurrency: 0 }),
    ).rejects.toBeInstanceOf(UserError);
  });

  it('writes a valid empty zip', async () => {
    const result = await writeReproducibleZip([], path.join(dir, 'sub', 'empty.zip'));
    expect(result.bytes).toBe(22);
    expect(readZip(result.path).entryCount).toBe(0);
  });
});
