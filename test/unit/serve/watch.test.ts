/** Hot reload's classification with real chokidar on a real folder: code vs dependency changes. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FSWatcher } from 'chokidar';
import { buildSourceFilter } from '../../../src/package/ignore-rules.js';
import { watchProject, type ChangeKind } from '../../../src/serve/watch.js';

let watcher: FSWatcher | undefined;
afterEach(async () => watcher?.close());

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-watch-'));
  writeFileSync(join(dir, 'app.py'), 'x = 1\n');
  writeFileSync(join(dir, 'requirements.txt'), './vendor/pkg\n');
  mkdirSync(join(dir, 'vendor', 'pkg'), { recursive: true });
  writeFileSync(join(dir, 'vendor', 'pkg', 'setup.py'), '');
  mkdirSync(join(dir, 'frontend'));
  const changes: { kind: ChangeKind; paths: string[] }[] = [];
  const filter = buildSourceFilter(dir, {
    language: 'python',
    include: [],
    exclude: ['vendor/'],
    extraExcludes: ['frontend'],
  });
  watcher = watchProject({
    root: dir,
    filter,
    dependencyInputs: ['requirements.txt', 'vendor/pkg'],
    debounceMs: 30,
    onChange: async (kind, paths) => void changes.push({ kind, paths }),
  });
  return {
    dir,
    changes,
    ready: new Promise<void>((resolve) => watcher!.on('ready', () => resolve())),
  };
}

describe('hot reload watcher', () => {
  it('a source edit is a code change; a burst of saves is one reload', async () => {
    const { dir, changes, ready } = setup();
    await ready;
    writeFileSync(join(dir, 'app.py'), 'x = 2\n');
    writeFileSync(join(dir, 'app.py'), 'x = 3\n');
    await expect.poll(() => changes).toEqual([{ kind: 'code', paths: ['app.py'] }]);
  });

  it('the dependency file or a local package it names is a dependency change, even if excluded from the zip', async () => {
    const { dir, changes, ready } = setup();
    await ready;
    writeFileSync(join(dir, 'vendor', 'pkg', 'setup.py'), '# changed\n');
    await expect.poll(() => changes.map((c) => c.kind)).toEqual(['dependencies']);
    writeFileSync(join(dir, 'requirements.txt'), './vendor/pkg\nsix\n');
    await expect.poll(() => changes.map((c) => c.kind)).toEqual(['dependencies', 'dependencies']);
  });

  it('ignores the frontend folder, .env and .lbuild output', async () => {
    const { dir, changes, ready } = setup();
    await ready;
    writeFileSync(join(dir, 'frontend', 'index.html'), '<p>hi</p>');
    writeFileSync(join(dir, '.env'), 'A=1\n');
    mkdirSync(join(dir, '.lbuild'), { recursive: true });
    writeFileSync(join(dir, '.lbuild', 'x.zip'), '');
    writeFileSync(join(dir, 'app.py'), 'x = 9\n');
    await expect.poll(() => changes).toEqual([{ kind: 'code', paths: ['app.py'] }]);
  });
});
