import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectSources } from '../../../src/package/collect-sources.js';
import { loadProject } from '../../../src/config/load.js';
import { buildSourceFilter, sourceFilterFor } from '../../../src/package/ignore-rules.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-src-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

async function names(
  dir: string,
  options: Partial<Parameters<typeof buildSourceFilter>[1]> = {},
): Promise<string[]> {
  const filter = buildSourceFilter(dir, {
    language: 'python',
    include: [],
    exclude: [],
    ...options,
  });
  return (await collectSources(dir, filter)).map((f) => f.name);
}

describe('source collection', () => {
  it('leaves out secrets, VCS, caches and host-installed packages by default', async () => {
    const dir = tree({
      'app.py': '',
      'pkg/mod.py': '',
      '.env': 'SECRET=1',
      '.env.production': 'SECRET=2',
      '.git/config': '',
      '.venv/bin/python': '',
      'pkg/__pycache__/mod.cpython-311.pyc': '',
      'old.pyc': '',
      'node_modules/x/index.js': '',
      '.lbuild/dist/app.zip': '',
      'lbuild.json': '{}',
    });
    expect(await names(dir)).toEqual(['app.py', 'pkg/mod.py']);
  });

  it('applies .lbuildignore and package.exclude, and include wins back all but secrets', async () => {
    const dir = tree({
      'app.py': '',
      'tests/test_app.py': '',
      'docs/readme.md': '',
      'data/big.csv': '',
      'data/keep.csv': '',
      '.lbuildignore': 'tests/\n*.md\n',
      '.env': 'SECRET=1',
    });
    expect(await names(dir, { exclude: ['data/'], include: ['data/keep.csv', '.env'] })).toEqual([
      'app.py',
      'data/keep.csv',
    ]);
  });

  it('leaves out the configured frontend build folder', async () => {
    const dir = tree({ 'app.py': '', 'frontend/dist/index.html': '', 'frontend/src/main.js': '' });
    expect(await names(dir, { extraExcludes: ['frontend/dist'] })).toEqual([
      'app.py',
      'frontend/src/main.js',
    ]);
  });

  it('follows a symlink inside the project and refuses one that leaves it', async () => {
    const dir = tree({ 'app.py': '', 'shared/util.py': '' });
    symlinkSync(join(dir, 'shared'), join(dir, 'linked'));
    expect(await names(dir)).toEqual(['app.py', 'linked/util.py', 'shared/util.py']);

    const outside = tree({ 'secret.txt': 'x' });
    symlinkSync(outside, join(dir, 'escape'));
    await expect(names(dir)).rejects.toThrow(/symlink escape points outside the project/);
  });

  it('returns files sorted and marks executables', async () => {
    const dir = tree({ 'b.py': '', 'a.py': '', 'bin/run': '#!/bin/sh' });
    const { chmodSync } = await import('node:fs');
    chmodSync(join(dir, 'bin/run'), 0o755);
    const filter = buildSourceFilter(dir, { language: 'python', include: [], exclude: [] });
    const files = await collectSources(dir, filter);
    expect(files.map((f) => [f.name, f.executable])).toEqual([
      ['a.py', false],
      ['b.py', false],
      ['bin/run', true],
    ]);
  });

  it("sourceFilterFor: the project's package rules with the frontend folder left out", async () => {
    const dir = tree({
      'app.py': '',
      'web/index.html': '',
      'notes.md': '',
      'out/app.zip': '',
      'lbuild.json': JSON.stringify({
        runtime: 'python3.11',
        functions: { api: { handler: 'app.handler' } },
        package: { exclude: ['*.md'] },
        frontend: { dir: 'web' },
      }),
    });
    const filter = sourceFilterFor(loadProject(dir), ['/out/app.zip']);
    expect((await collectSources(dir, filter)).map((f) => f.name)).toEqual(['app.py']);
  });
});
