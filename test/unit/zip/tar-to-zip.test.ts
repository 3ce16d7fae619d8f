import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EnvironmentError, UserError } from '../../../src/errors.js';
import {
  tarToZipEntries,
  writeReproducibleZip,
  type ZipEntryInput,
} from '../../../src/package/zip/index.js';
import { readZip } from './zip-reader.js';
import { commandGate } from '../../support/gates.js';

type TarItem = Parameters<ReturnType<typeof pack>['entry']>[0] & { content?: string };

/** A tar stream like Docker's getArchive of /asset-output: everything under `asset-output/`. */
function makeTar(items: TarItem[]): Readable {
  const p = pack();
  for (const { content, ...header } of items) p.entry(header, content ?? '');
  p.finalize();
  return Readable.from(p as unknown as AsyncIterable<Buffer>);
}

async function collect(
  entries: AsyncIterable<ZipEntryInput>,
): Promise<Map<string, { mode: number; content: string }>> {
  const out = new Map<string, { mode: number; content: string }>();
  for await (const entry of entries) {
    const data = typeof entry.data === 'function' ? await entry.data() : entry.data;
    out.set(entry.name, { mode: entry.mode, content: data.toString('utf8') });
  }
  return out;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lbuild-tarzip-'));
  vi.stubEnv('SOURCE_DATE_EPOCH', '');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

describe('tarToZipEntries', () => {
  it('round-trips a build output tar into a zip with the prefix stripped', async () => {
    const tar = makeTar([
      { name: 'asset-output/', type: 'directory', mode: 0o755 },
      { name: 'asset-output/app.py', mode: 0o600, content: 'def handler(e, c):\n    return 1\n' },
      { name: 'asset-output/pkg/', type: 'directory', mode: 0o700 },
      { name: 'asset-output/pkg/__init__.py', mode: 0o644, content: '' },
      { name: 'asset-output/pkg/native.so', mode: 0o775, content: '\x7fELF fake' },
      { name: 'asset-output/empty-dir/', type: 'directory', mode: 0o755 },
    ]);
    const out = path.join(dir, 'out.zip');
    const result = await writeReproducibleZip(
      tarToZipEntries(tar, { stripPrefix: 'asset-output' }),
      out,
    );
    const entries = readZip(out).entries;
    expect(entries.map((e) => e.name)).toEqual(['app.py', 'pkg/__init__.py', 'pkg/native.so']);
    expect(entries.map((e) => e.externalAttributes >>> 16)).toEqual([0o100644, 0o100644, 0o100755]);
    expect(entries[0]!.content.toString()).toBe('def handler(e, c):\n    return 1\n');
    expect(entries[2]!.content.toString()).toBe('\x7fELF fake');
    expect(result.files).toBe(3);
  });

  it('keeps names as they are without stripPrefix, and ignores the root entry', async () => {
    const tar = makeTar([
      { name: './', type: 'directory' },
      { name: './a/b.txt', content: 'b' },
    ]);
    expect([...(await collect(tarToZipEntries(tar))).keys()]).toEqual(['a/b.txt']);
  });

  it('turns a symlink to a file inside the archive into a copy with the target mode', async () => {
    const tar = makeTar([
      { name: 'out/lib/tool.sh', mode: 0o755, content: '#!/bin/sh\necho hi\n' },
      { name: 'out/bin/tool', type: 'symlink', linkname: '../lib/tool.sh' },
      { name: 'out/bin/tool2', type: 'symlink', linkname: 'tool' }, // a chain of links
    ]);
    const files = await collect(tarToZipEntries(tar, { stripPrefix: 'out' }));
    expect(files.get('bin/tool')).toEqual({ mode: 0o755, content: '#!/bin/sh\necho hi\n' });
    expect(files.get('bin/tool2')).toEqual({ mode: 0o755, content: '#!/bin/sh\necho hi\n' });
  });

  it('expands a symlink to a directory (lib64 -> lib), links inside it included', async () => {
    const tar = makeTar([
      { name: 'out/lib/', type: 'directory' },
      { name: 'out/lib/m.py', content: 'm' },
      { name: 'out/lib/sub/n.py', content: 'n' },
      { name: 'out/lib/alias.py', type: 'symlink', linkname: 'sub/n.py' },
      { name: 'out/lib64', type: 'symlink', linkname: 'lib' },
    ]);
    const files = await collect(tarToZipEntries(tar, { stripPrefix: 'out' }));
    expect([...files.keys()].sort()).toEqual([
      'lib/alias.py',
      'lib/m.py',
      'lib/sub/n.py',
      'lib64/alias.py',
      'lib64/m.py',
      'lib64/sub/n.py',
    ]);
    expect(files.get('lib64/alias.py')!.content).toBe('n');
  });

  it('turns a hard link into a copy of its target', async () => {
    const tar = makeTar([
      { name: 'out/a.txt', content: 'same inode', mode: 0o644 },
      { name: 'out/b.txt', type: 'link', linkname: 'out/a.txt' },
    ]);
    const files = await collect(tarToZipEntries(tar, { stripPrefix: 'out' }));
    expect(files.get('b.txt')!.content).toBe('same inode');
  });

  it.each([
    ['a relative link that climbs out', '../../etc/passwd'],
    ['an absolute link', '/usr/bin/python3'],
  ])('rejects %s, naming the link, and writes no zip', async (_, linkname) => {
    const tar = makeTar([
      { name: 'out/app.py', content: 'x' },
      { name: 'out/bin/python', type: 'symlink', linkname },
    ]);
    const out = path.join(dir, 'out.zip');
    const error = await writeReproducibleZip(
      tarToZipEntries(tar, { stripPrefix: 'out' }),
      out,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain('bin/python');
    expect((error as Error).message).toContain('outside the build output');
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects a link that escapes through another link', async () => {
    const tar = makeTar([
      { name: 'out/up', type: 'symlink', linkname: '..' },
      { name: 'out/x', type: 'symlink', linkname: 'up/secret' },
    ]);
    await expect(collect(tarToZipEntries(tar, { stripPrefix: 'out' }))).rejects.toThrow(
      /symlink up points outside/,
    );
  });

  it('rejects dangling links and loops', async () => {
    const dangling = makeTar([{ name: 'out/a', type: 'symlink', linkname: 'missing.py' }]);
    await expect(collect(tarToZipEntries(dangling, { stripPrefix: 'out' }))).rejects.toThrow(
      /symlink a -> missing.py points to missing.py, which is not in the build output/,
    );
    const loop = makeTar([
      { name: 'out/a', type: 'symlink', linkname: 'b' },
      { name: 'out/b', type: 'symlink', linkname: 'a' },
    ]);
    await expect(collect(tarToZipEntries(loop, { stripPrefix: 'out' }))).rejects.toBeInstanceOf(
      UserError,
    );
    const selfContaining = makeTar([
      { name: 'out/d/f.py', content: 'f' },
      { name: 'out/d/again', type: 'symlink', linkname: '.' },
    ]);
    await expect(collect(tarToZipEntries(selfContaining, { stripPrefix: 'out' }))).rejects.toThrow(
      /makes a loop/,
    );
  });

  it.each(['../evil.py', 'out/../../evil.py', '/etc/cron.d/evil'])(
    'rejects the zip-slip tar name %s',
    async (name) => {
      const tar = makeTar([{ name, content: 'x' }]);
      await expect(collect(tarToZipEntries(tar))).rejects.toBeInstanceOf(UserError);
    },
  );

  it('rejects entries outside stripPrefix, special files and duplicates', async () => {
    await expect(
      collect(
        tarToZipEntries(makeTar([{ name: 'other/a.py', content: 'a' }]), { stripPrefix: 'out' }),
      ),
    ).rejects.toThrow(/not under out\//);
    await expect(
      collect(
        tarToZipEntries(makeTar([{ name: 'out/pipe', type: 'fifo' }]), { stripPrefix: 'out' }),
      ),
    ).rejects.toThrow(/is a fifo/);
    const twice = makeTar([
      { name: 'out/a.py', content: '1' },
      { name: 'out/a.py', content: '2' },
    ]);
    await expect(collect(tarToZipEntries(twice, { stripPrefix: 'out' }))).rejects.toThrow(/twice/);
  });

  it('reports a truncated stream as an environment problem', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of makeTar([{ name: 'out/big.bin', content: 'x'.repeat(10_000) }]))
      chunks.push(chunk as Buffer);
    const truncated = Buffer.concat(chunks).subarray(0, 3000);
    await expect(
      collect(tarToZipEntries(Readable.from([truncated]), { stripPrefix: 'out' })),
    ).rejects.toBeInstanceOf(EnvironmentError);
    const failing = new Readable({
      read() {
        this.destroy(new Error('socket hang up'));
      },
    });
    await expect(collect(tarToZipEntries(failing))).rejects.toThrow(/socket hang up/);
  });

  it.skipIf(commandGate('tar', ['--version']).skipReason)(
    'converts a real GNU tar of a directory like Docker gives',
    async () => {
      const root = path.join(dir, 'src', 'asset-output');
      await mkdir(path.join(root, 'pkg', 'bin'), { recursive: true });
      await writeFile(path.join(root, 'app.py'), 'print(1)\n');
      await writeFile(path.join(root, 'pkg', 'bin', 'cli'), '#!/usr/bin/env python3\n');
      await chmod(path.join(root, 'pkg', 'bin', 'cli'), 0o700);
      await symlink('pkg/bin/cli', path.join(root, 'cli'));
      const child = spawn('tar', ['-cf', '-', '-C', path.join(dir, 'src'), 'asset-output']);
      const out = path.join(dir, 'real.zip');
      await writeReproducibleZip(
        tarToZipEntries(child.stdout, { stripPrefix: 'asset-output' }),
        out,
      );
      const entries = readZip(out).entries;
      expect(
        entries.map((e) => [
          e.name,
          (e.externalAttributes >>> 16).toString(8),
          e.content.toString(),
        ]),
      ).toEqual([
        ['app.py', '100644', 'print(1)\n'],
        ['cli', '100755', '#!/usr/bin/env python3\n'],
        ['pkg/bin/cli', '100755', '#!/usr/bin/env python3\n'],
      ]);
    },
  );
});
