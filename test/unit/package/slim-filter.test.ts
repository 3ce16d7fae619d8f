/** The host half of slim on synthetic trees: which files go, which stay, which objects get stripped. */
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract, pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { resolveSlim } from '../../../src/package/slim/index.js';
import { filterDependencyTar, isElfSharedObject } from '../../../src/package/slim/remove-files.js';
import type { SlimConfig } from '../../../src/config/types.js';
import type { Language } from '../../../src/runtimes/catalog.js';

type Entry = {
  name: string;
  data?: Buffer | string;
  symlink?: string;
  hardlink?: string;
  dir?: boolean;
};

/** A tiny little-endian ELF header of type ET_DYN, padded to `size` bytes. */
function elf(size: number, type = 3): Buffer {
  const data = Buffer.alloc(size);
  data.writeUInt32BE(0x7f454c46, 0);
  data[4] = 2;
  data[5] = 1;
  data.writeUInt16LE(type, 16);
  return data;
}

async function tarOf(entries: Entry[]): Promise<string> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => archive.on('end', () => resolve()));
  archive.entry({ name: 'out/', type: 'directory' });
  for (const e of entries) {
    if (e.dir) archive.entry({ name: `out/${e.name}/`, type: 'directory' });
    else if (e.symlink)
      archive.entry({ name: `out/${e.name}`, type: 'symlink', linkname: e.symlink });
    else if (e.hardlink)
      archive.entry({ name: `out/${e.name}`, type: 'link', linkname: `out/${e.hardlink}` });
    else
      archive.entry(
        { name: `out/${e.name}`, mode: 0o644 },
        typeof e.data === 'string' || e.data === undefined ? Buffer.from(e.data ?? 'x') : e.data,
      );
  }
  archive.finalize();
  await done;
  const path = join(mkdtempSync(join(tmpdir(), 'lbuild-slim-unit-')), 'raw.tar');
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

async function filesIn(path: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const parser = extract();
  createReadStream(path).pipe(parser);
  for await (const entry of parser) {
    const name = entry.header.name.replace(/^out\//, '');
    if (entry.header.type === 'directory') {
      entry.resume();
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    files.set(
      name,
      entry.header.type === 'file'
        ? Buffer.concat(chunks).toString('latin1')
        : `${entry.header.type} -> ${entry.header.linkname}`,
    );
  }
  return files;
}

async function namesIn(path: string): Promise<string[]> {
  return [...(await filesIn(path)).keys()].sort();
}

async function slimTree(language: Language, entries: Entry[], config: SlimConfig = {}) {
  const raw = await tarOf(entries);
  const out = `${raw}.slim`;
  const result = await filterDependencyTar(raw, out, resolveSlim(config, language));
  return { result, kept: await namesIn(out) };
}

describe('slim removal (Python)', () => {
  it('removes caches, package test suites, stubs and pip bookkeeping; keeps metadata, licences and top-level code', async () => {
    const { result, kept } = await slimTree('python', [
      { name: 'requests/__init__.py' },
      { name: 'requests/__pycache__/api.cpython-311.pyc', data: '0123456789' },
      { name: 'numpy/tests/test_core.py' },
      { name: 'numpy/core/tests/data/x.npy' },
      { name: 'numpy/testing/__init__.py' },
      { name: 'tests/__init__.py' },
      { name: 'django/test/client.py' },
      { name: 'requests-stubs/api.pyi' },
      { name: 'attr/__init__.pyi' },
      { name: 'attr/py.typed' },
      { name: 'requests-2.31.0.dist-info/METADATA' },
      { name: 'requests-2.31.0.dist-info/RECORD' },
      { name: 'requests-2.31.0.dist-info/INSTALLER' },
      { name: 'requests-2.31.0.dist-info/direct_url.json' },
      { name: 'requests-2.31.0.dist-info/entry_points.txt' },
      { name: 'requests-2.31.0.dist-info/LICENSE' },
      { name: 'requests-2.31.0.dist-info/licenses/NOTICE.txt' },
    ]);
    expect(kept).toEqual([
      'django/test/client.py',
      'numpy/testing/__init__.py',
      'requests-2.31.0.dist-info/LICENSE',
      'requests-2.31.0.dist-info/METADATA',
      'requests-2.31.0.dist-info/entry_points.txt',
      'requests-2.31.0.dist-info/licenses/NOTICE.txt',
      'requests/__init__.py',
      'tests/__init__.py',
    ]);
    expect(result.removedFiles).toBe(9);
    expect(result.removedBytes).toBe(10 + 8);
  });

  it('keepTypeStubs, keep and remove adjust the lists; defaults: false leaves only "remove"', async () => {
    const entries = [
      { name: 'attr/__init__.pyi' },
      { name: 'pkg/tests/t.py' },
      { name: 'pkg/examples/e.py' },
      { name: 'x.dist-info/RECORD' },
    ];
    expect(
      (
        await slimTree('python', entries, {
          keepTypeStubs: true,
          keep: ['pkg/tests/'],
          remove: ['*/**/examples/'],
        })
      ).kept,
    ).toEqual(['attr/__init__.pyi', 'pkg/tests/t.py']);
    expect(
      (await slimTree('python', entries, { defaults: false, remove: ['*.pyi'] })).kept,
    ).toEqual(['pkg/examples/e.py', 'pkg/tests/t.py', 'x.dist-info/RECORD']);
  });

  it('keeps a removed file that a kept symlink points at', async () => {
    const { kept } = await slimTree('python', [
      { name: 'pkg/tests/fixture.bin' },
      { name: 'pkg/data.bin', symlink: 'tests/fixture.bin' },
      { name: 'pkg/tests/other.py' },
    ]);
    expect(kept).toEqual(['pkg/data.bin', 'pkg/tests/fixture.bin']);
  });

  it('picks shared objects by name and ELF type; small and excluded ones are reported, not stripped', async () => {
    const { result } = await slimTree(
      'python',
      [
        { name: 'fast.cpython-311-x86_64-linux-gnu.so', data: elf(8192) },
        { name: 'numpy.libs/libopenblas-r0.so.0.3.21', data: elf(8192) },
        { name: 'tiny.abi3.so', data: elf(100) },
        { name: 'keep/me.so', data: elf(8192) },
        { name: 'bin/tool', data: elf(8192, 2) },
        { name: 'fake.so', data: 'not an ELF file' },
      ],
      { strip: { exclude: ['keep/'] } },
    );
    expect(result.candidates).toEqual([
      'fast.cpython-311-x86_64-linux-gnu.so',
      'numpy.libs/libopenblas-r0.so.0.3.21',
    ]);
    expect(result.skipped).toEqual([
      { path: 'tiny.abi3.so', reason: 'below-min-bytes', detail: '100 bytes' },
      { path: 'keep/me.so', reason: 'excluded' },
    ]);
    expect(
      (await slimTree('python', [{ name: 'a.so', data: elf(8192) }], { strip: false })).result
        .candidates,
    ).toEqual([]);
  });
});

describe('slim removal (Node)', () => {
  it('removes docs, tests, declarations and @types below node_modules; keeps licences and a package named "test"', async () => {
    const { kept } = await slimTree('nodejs', [
      { name: 'node_modules/is-number/index.js' },
      { name: 'node_modules/is-number/README.md' },
      { name: 'node_modules/is-number/LICENSE.md' },
      { name: 'node_modules/is-number/index.d.ts' },
      { name: 'node_modules/is-number/test/index.js' },
      { name: 'node_modules/test/index.js' },
      { name: 'node_modules/@aws/sdk/dist/index.js' },
      { name: 'node_modules/@aws/sdk/docs/guide.html' },
      { name: 'node_modules/@aws/sdk/.github/workflows/ci.yml' },
      { name: 'node_modules/@types/node/index.d.ts' },
      { name: 'node_modules/@types/node/package.json' },
      { name: 'node_modules/addon/build/Release/addon.node', data: elf(8192) },
    ]);
    expect(kept).toEqual([
      'node_modules/@aws/sdk/dist/index.js',
      'node_modules/addon/build/Release/addon.node',
      'node_modules/is-number/LICENSE.md',
      'node_modules/is-number/index.js',
      'node_modules/test/index.js',
    ]);
  });

  it('drops node-gyp intermediates; a kept hard link to a removed file becomes a copy of it', async () => {
    const raw = await tarOf([
      { name: 'node_modules/addon/build/Release/obj.target/addon.node', data: elf(8192) },
      { name: 'node_modules/addon/build/Release/obj.target/addon/addon.o', data: 'object' },
      {
        name: 'node_modules/addon/build/Release/addon.node',
        hardlink: 'node_modules/addon/build/Release/obj.target/addon.node',
      },
      { name: 'node_modules/addon/build/Makefile' },
      { name: 'node_modules/addon/index.js' },
    ]);
    const result = await filterDependencyTar(raw, `${raw}.slim`, resolveSlim({}, 'nodejs'));
    const files = await filesIn(`${raw}.slim`);
    expect([...files.keys()].sort()).toEqual([
      'node_modules/addon/build/Release/addon.node',
      'node_modules/addon/index.js',
    ]);
    expect(files.get('node_modules/addon/build/Release/addon.node')).toBe(
      elf(8192).toString('latin1'),
    );
    expect(result.removedFiles).toBe(2);
    expect(result.removedBytes).toBe('object'.length + 1);
    expect(result.candidates).toEqual(['node_modules/addon/build/Release/addon.node']);
  });

  it('recognises ELF shared objects only', () => {
    expect(isElfSharedObject(elf(64))).toBe(true);
    expect(isElfSharedObject(elf(64, 2))).toBe(false);
    expect(isElfSharedObject(Buffer.from('#!/bin/sh\n'))).toBe(false);
  });
});
