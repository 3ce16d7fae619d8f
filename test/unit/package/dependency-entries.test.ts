/**
 * A dependency tree's entry list: made once beside the tar, then trusted for that same tar only,
 * and with it the tar is read only when an entry's content is asked for.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dependencyEntries } from '../../../src/package/dependency-entries.js';
import { packTar } from '../../../src/package/tar-files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lbuild-dep-entries-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

async function writeTar(path: string, files: Record<string, string>): Promise<void> {
  const tar = await packTar(
    Object.entries(files).map(([name, content]) => ({ name: `out/${name}`, content })),
    { parents: true },
  );
  writeFileSync(path, tar);
}

async function contents(
  entries: Awaited<ReturnType<typeof dependencyEntries>>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of entries)
    out[entry.name] = (
      typeof entry.data === 'function' ? await entry.data() : entry.data
    ).toString();
  return out;
}

describe('dependencyEntries', () => {
  it('lists the tree once, then serves the list and reads the tar only for content', async () => {
    const tar = join(dir, 'key.tar');
    await writeTar(tar, { 'flask/__init__.py': 'import x\n', 'lib/libpq.so.5': 'ELF...' });
    const first = await dependencyEntries(tar);
    expect(first.map((e) => [e.name, e.size, e.sha256])).toEqual([
      ['flask/__init__.py', 9, sha256('import x\n')],
      ['lib/libpq.so.5', 6, sha256('ELF...')],
    ]);
    const list = JSON.parse(readFileSync(`${tar}.entries.json`, 'utf8')) as { entries: unknown[] };
    expect(list.entries).toHaveLength(2);

    const listed = await dependencyEntries(tar);
    expect(listed.every((e) => typeof e.data === 'function')).toBe(true);
    expect(listed.map((e) => [e.name, e.size, e.sha256])).toEqual(
      first.map((e) => [e.name, e.size, e.sha256]),
    );
    expect(await contents(listed)).toEqual(await contents(first));
  });

  it('makes the list again for a different tar at the same path', async () => {
    const tar = join(dir, 'key.tar');
    await writeTar(tar, { 'a.py': 'A = 1\n' });
    await dependencyEntries(tar);
    await writeTar(tar, { 'a.py': 'A = 2\n', 'b.py': 'B\n' });
    utimesSync(tar, new Date(), new Date(Date.now() + 5000));
    const again = await dependencyEntries(tar);
    expect(again.map((e) => e.sha256)).toEqual([sha256('A = 2\n'), sha256('B\n')]);
    expect(await contents(again)).toEqual({ 'a.py': 'A = 2\n', 'b.py': 'B\n' });
  });
});
