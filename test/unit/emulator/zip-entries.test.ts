/** Reading deployment zips (stored and deflated entries, Unix modes) made by another tool (Python's zipfile). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { readZipEntries } from '../../../src/emulator/workers/container/zip-entries.js';
import { writeZip } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lbuild-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('reads names, contents and modes of stored and deflated entries', async () => {
  const file = join(dir, 'code.zip');
  writeZip(file, [
    { name: 'app.py', text: 'def handler(e, c):\n    return 1\n'.repeat(50) },
    { name: 'bin/tool', text: '#!/bin/sh\necho hi\n', mode: 0o755, stored: true },
    { name: 'pkg/é.txt', text: 'unicode name' },
  ]);
  const entries = await readZipEntries(file);
  expect(entries.map((e) => e.name)).toEqual(['app.py', 'bin/tool', 'pkg/é.txt']);
  expect(entries[0]!.content.toString()).toBe('def handler(e, c):\n    return 1\n'.repeat(50));
  expect(entries[1]!.mode).toBe(0o755);
  expect(entries[1]!.content.toString()).toBe('#!/bin/sh\necho hi\n');
  expect(entries[2]!.mode).toBe(0o644);
});

test('a file that is not a zip is a user error with a hint', async () => {
  const file = join(dir, 'not.zip');
  writeFileSync(file, 'hello');
  await expect(readZipEntries(file)).rejects.toMatchObject({
    code: 'user-error',
    hint: expect.stringContaining('lbuild package'),
  });
});
