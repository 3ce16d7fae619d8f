/**
 * images/build/lbuild-check-scripts.mjs on a hand-made node_modules: it runs with the build image's
 * node, and plain Node here is the same program.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { imagesDir } from '../../../src/paths.js';
import type { InstallScriptReport } from '../../../src/package/install-scripts.js';

function write(root: string, path: string, content: unknown): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
}

describe('lbuild-check-scripts.mjs', () => {
  it('lists nested, scoped, linked and bundled packages with install scripts, and what the log says ran', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lbuild-check-scripts-'));
    write(root, 'node_modules/plain/package.json', {
      name: 'plain',
      version: '1.0.0',
      scripts: { postinstall: 'x', test: 'y' },
    });
    write(root, 'node_modules/@s/gyp/package.json', {
      name: '@s/gyp',
      version: '2.0.0',
      scripts: { postinstall: 'z' },
    });
    write(root, 'node_modules/@s/gyp/binding.gyp', '{}'); // implicit `node-gyp rebuild`
    write(root, 'node_modules/optout/package.json', {
      name: 'optout',
      version: '1.0.0',
      gypfile: false,
    });
    write(root, 'node_modules/optout/binding.gyp', '{}');
    write(root, 'node_modules/own/package.json', {
      name: 'own',
      version: '1.0.0',
      scripts: { install: 'make' },
    });
    write(root, 'node_modules/own/binding.gyp', '{}'); // an install script replaces the implicit one
    write(root, 'node_modules/none/package.json', {
      name: 'none',
      version: '1.0.0',
      scripts: { prepare: 'p' },
    });
    write(root, 'node_modules/a/package.json', { name: 'a', version: '1.0.0' });
    write(root, 'node_modules/a/node_modules/dup/package.json', {
      name: 'dup',
      version: '1.0.0',
      scripts: { install: 'i' },
    });
    write(root, 'node_modules/withbundle/package.json', {
      name: 'withbundle',
      version: '1.0.0',
      bundleDependencies: ['inner'],
    });
    write(root, 'node_modules/withbundle/node_modules/inner/package.json', {
      name: 'inner',
      version: '1.0.0',
      scripts: { preinstall: 'i' },
    });
    write(root, 'vendor/linked/package.json', {
      name: 'linked',
      version: '1.0.0',
      scripts: { install: 'i' },
    });
    symlinkSync('../vendor/linked', join(root, 'node_modules/linked'));
    write(root, 'node_modules/.bin/ignored/package.json', {
      name: 'ignored',
      version: '1.0.0',
      scripts: { install: 'i' },
    });
    // npm's hidden lockfile lacks tarball URLs under omit-lockfile-registry-resolved: the project's is read
    write(root, 'node_modules/.package-lock.json', { packages: { 'node_modules/plain': {} } });
    write(root, 'package-lock.json', {
      packages: {
        'node_modules/plain': { resolved: 'https://registry.npmjs.org/plain/-/plain-1.0.0.tgz' },
        'node_modules/withbundle/node_modules/inner': { inBundle: true },
        'node_modules/linked': { resolved: 'vendor/linked', link: true },
      },
    });
    write(
      root,
      'scripts.log',
      `postinstall\t${root}/node_modules/plain/package.json\ninstall\t${root}/vendor/linked/package.json\n`,
    );

    const { stdout } = await execa(
      'node',
      [join(imagesDir, 'build', 'lbuild-check-scripts.mjs'), join(root, 'scripts.log')],
      { cwd: root },
    );
    const report = JSON.parse(stdout) as InstallScriptReport;
    expect([...report.packages].sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      {
        path: 'node_modules/@s/gyp',
        name: '@s/gyp',
        version: '2.0.0',
        scripts: ['install', 'postinstall'],
        bundled: false,
      },
      {
        path: 'node_modules/a/node_modules/dup',
        name: 'dup',
        version: '1.0.0',
        scripts: ['install'],
        bundled: false,
      },
      {
        path: 'node_modules/own',
        name: 'own',
        version: '1.0.0',
        scripts: ['install'],
        bundled: false,
      },
      {
        path: 'node_modules/plain',
        name: 'plain',
        version: '1.0.0',
        scripts: ['postinstall'],
        resolved: 'https://registry.npmjs.org/plain/-/plain-1.0.0.tgz',
        bundled: false,
      },
      {
        path: 'node_modules/withbundle/node_modules/inner',
        name: 'inner',
        version: '1.0.0',
        scripts: ['preinstall'],
        bundled: true,
      },
      {
        path: 'vendor/linked',
        name: 'linked',
        version: '1.0.0',
        scripts: ['install'],
        resolved: 'vendor/linked',
        bundled: false,
      },
    ]);
    expect(report.ran).toEqual([
      { event: 'postinstall', path: 'node_modules/plain' },
      { event: 'install', path: 'vendor/linked' },
    ]);
  });
});
