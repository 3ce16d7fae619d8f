/**
 * Which libraries go into lib/: the ldd listing parsed and planned against the runtime's provided
 * libraries (pure, table-tested with ldd's real output shapes), then the container script itself
 * run on this machine against libraries compiled here, with the real ldd, and the report's
 * attribution read back from a tar like the build container's.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planBundle } from '../../../src/package/libraries/bundle-plan.js';
import { parseLddListing } from '../../../src/package/libraries/ldd-listing.js';
import { describeBundle } from '../../../src/package/libraries/library-report.js';
import { neverBundled } from '../../../src/package/libraries/never-bundled.js';
import { scanScript } from '../../../src/package/libraries/scan-script.js';
import { tarBuffer } from '../../../src/package/tar-files.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import { toolGate } from '../../support/gates.js';

const al2 = neverBundled(findRuntime('python3.11'), 'x86_64');
const al2023arm = neverBundled(findRuntime('nodejs22.x'), 'arm64');

/** ldd's output for an extension linking libpq on Debian 12, as the scan script prints it. */
const libpqListing = `==> ./pqext.cpython-311-x86_64-linux-gnu.so
	linux-vdso.so.1 (0x00007ffc5a9f2000)
	libpq.so.5 => /lib/x86_64-linux-gnu/libpq.so.5 (0x00007f7c1b0a1000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f7c1aebf000)
	libssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x00007f7c1ae15000)
	libcrypto.so.3 => /lib/x86_64-linux-gnu/libcrypto.so.3 (0x00007f7c1a993000)
	libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f7c1a974000)
	/lib64/ld-linux-x86-64.so.2 (0x00007f7c1b111000)
	libresolv.so.2 => /lib/x86_64-linux-gnu/libresolv.so.2 (0x00007f7c1a963000)
==> ./numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so
	linux-vdso.so.1 (0x00007ffd3b5d4000)
	libopenblas64_p-r0-15028c96.3.21.so => /var/lbuild/out/numpy.libs/libopenblas64_p-r0-15028c96.3.21.so (0x00007f2a1c000000)
	libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f2a1bf21000)
	libmvec.so.1 => /lib/x86_64-linux-gnu/libmvec.so.1 (0x00007f2a1be21000)
	libgfortran-040039e1.so.5.0.0 => /var/lbuild/out/numpy.libs/libgfortran-040039e1.so.5.0.0 (0x00007f2a1ba00000)
==> ./bin/static-tool
	not a dynamic executable
`;

describe('planning the bundle from ldd output', () => {
  it('bundles what the runtime lacks, with what it needs in turn; never glibc, the loader or provided libraries', () => {
    const listing = parseLddListing(libpqListing);
    expect([...listing.files.keys()]).toEqual([
      'pqext.cpython-311-x86_64-linux-gnu.so',
      'numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so',
      'bin/static-tool',
    ]);
    expect(listing.files.get('bin/static-tool')).toEqual([]);
    const plan = planBundle(listing, { treeRoot: '/var/lbuild/out', neverBundled: al2 });
    expect(plan).toEqual({
      bundle: [
        { soname: 'libcrypto.so.3', source: '/lib/x86_64-linux-gnu/libcrypto.so.3' },
        { soname: 'libpq.so.5', source: '/lib/x86_64-linux-gnu/libpq.so.5' },
        { soname: 'libssl.so.3', source: '/lib/x86_64-linux-gnu/libssl.so.3' },
      ],
      unresolved: [],
    });
  });

  it('leaves what lib/ already holds, and reports what the build container could not find', () => {
    const listing = parseLddListing(
      `lib-entry\tlibpq.so.5\n${libpqListing}==> ./plugins/gpu.so\n\tlibcuda.so.1 => not found\n\tlibssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x1)\n==> ./other.so\n\tlibcuda.so.1 => not found\n`,
    );
    const plan = planBundle(listing, { treeRoot: '/var/lbuild/out/', neverBundled: al2 });
    expect(plan.bundle.map((l) => l.soname)).toEqual(['libcrypto.so.3', 'libssl.so.3']);
    expect(plan.unresolved).toEqual([
      { soname: 'libcuda.so.1', neededBy: ['other.so', 'plugins/gpu.so'] },
    ]);
  });

  it('a library one file cannot find but another resolves is bundled, not reported', () => {
    const listing = parseLddListing(
      '==> ./a.so\n\tlibfoo.so.1 => not found\n==> ./b.so\n\tlibfoo.so.1 => /usr/lib/libfoo.so.1 (0x1)\n',
    );
    expect(planBundle(listing, { treeRoot: '/out', neverBundled: al2 })).toEqual({
      bundle: [{ soname: 'libfoo.so.1', source: '/usr/lib/libfoo.so.1' }],
      unresolved: [],
    });
  });

  it('reads arm64 ldd output under QEMU (no addresses for some lines) and the aarch64 loader', () => {
    const listing = parseLddListing(
      '==> ./node_modules/pg-native/build/Release/addon.node\n\tlinux-vdso.so.1 (0x0000ffff8a3f1000)\n\tlibpq.so.5 => /lib/aarch64-linux-gnu/libpq.so.5\n\tlibstdc++.so.6 => /lib/aarch64-linux-gnu/libstdc++.so.6 (0x0000ffff8a000000)\n\tlibgcc_s.so.1 => /lib/aarch64-linux-gnu/libgcc_s.so.1 (0x0000ffff89f00000)\n\t/lib/ld-linux-aarch64.so.1 (0x0000ffff8a3b4000)\n',
    );
    const plan = planBundle(listing, { treeRoot: '/var/lbuild/out', neverBundled: al2023arm });
    expect(plan.bundle).toEqual([
      { soname: 'libpq.so.5', source: '/lib/aarch64-linux-gnu/libpq.so.5' },
    ]);
  });

  it.each([
    ['libc.so.6', true],
    ['libm.so.6', true],
    ['libmvec.so.1', true],
    ['libnss_files.so.2', true],
    ['ld-linux-x86-64.so.2', true],
    ['ld-linux-aarch64.so.1', true],
    ['libcrypt.so.1', true],
    ['libstdc++.so.6', true],
    ['libgcc_s.so.1', true],
    ['libz.so.1', true],
    ['libpython3.11.so.1.0', true],
    ['libnode.so.115', true],
    ['libpq.so.5', false],
    ['libssl.so.3', false],
    ['libcrypt.so.2', false],
    ['libzstd.so.1', false],
    ['libmagic.so.1', false],
  ])('never bundled on Amazon Linux 2: %s → %s', (soname, never) => {
    expect(al2(soname)).toBe(never);
  });
});

const gate = toolGate('gcc', 'ldd');

describe.skipIf(gate.skipReason)('the scan script, run with the real ldd', () => {
  /** A shared library with a soname, compiled here, linking `libs` (paths or -l flags). */
  function library(path: string, soname: string, libs: string[] = [], extra: string[] = []): void {
    const source = `${path}.c`;
    writeFileSync(source, `int ${soname.replace(/\W/g, '_')}(void) { return 1; }\n`);
    execFileSync('gcc', [
      '-shared',
      '-fPIC',
      '-o',
      path,
      source,
      `-Wl,-soname,${soname}`,
      '-Wl,--no-as-needed',
      ...extra,
      ...libs,
    ]);
    rmSync(source);
  }

  it('finds every ELF file, resolves closures outside the tree and plans only those', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbuild-scan-'));
    const sys = join(dir, 'sys');
    const tree = join(dir, 'out');
    for (const folder of [sys, join(tree, 'pkg.libs'), join(tree, 'lib'), join(tree, 'bin')])
      mkdirSync(folder, { recursive: true });
    library(join(sys, 'libinner.so.2'), 'libinner.so.2');
    library(join(sys, 'libouter.so.1'), 'libouter.so.1', [join(sys, 'libinner.so.2')]);
    library(join(sys, 'libpresent.so.1'), 'libpresent.so.1');
    library(join(sys, 'libgone.so.3'), 'libgone.so.3');
    library(join(tree, 'pkg.libs', 'libhelper.so.1'), 'libhelper.so.1');
    writeFileSync(join(tree, 'lib', 'libpresent.so.1'), 'already here');
    library(
      join(tree, 'ext.cpython-311-x86_64-linux-gnu.so'),
      'ext.so',
      [
        join(sys, 'libouter.so.1'),
        join(tree, 'pkg.libs', 'libhelper.so.1'),
        join(sys, 'libpresent.so.1'),
        '-lm',
        '-lgcc_s',
      ],
      ['-Wl,-rpath,$ORIGIN/pkg.libs'],
    );
    library(join(tree, 'orphan.so'), 'orphan.so', [join(sys, 'libgone.so.3')]);
    rmSync(join(sys, 'libgone.so.3'));
    writeFileSync(join(tree, 'bin', 'tool'), '#!/bin/sh\necho not elf\n', { mode: 0o755 });
    writeFileSync(join(tree, 'README.txt'), 'text');
    writeFileSync(join(dir, 'scan.sh'), scanScript);

    const output = execFileSync('sh', [join(dir, 'scan.sh'), tree], {
      encoding: 'utf8',
      env: { ...process.env, LD_LIBRARY_PATH: sys },
    });
    const listing = parseLddListing(output);
    expect([...listing.files.keys()].sort()).toEqual([
      'ext.cpython-311-x86_64-linux-gnu.so',
      'orphan.so',
      'pkg.libs/libhelper.so.1',
    ]);
    expect([...listing.libEntries]).toEqual(['libpresent.so.1']);
    const plan = planBundle(listing, { treeRoot: tree, neverBundled: al2 });
    expect(plan).toEqual({
      bundle: [
        { soname: 'libinner.so.2', source: join(sys, 'libinner.so.2') },
        { soname: 'libouter.so.1', source: join(sys, 'libouter.so.1') },
      ],
      unresolved: [{ soname: 'libgone.so.3', neededBy: ['orphan.so'] }],
    });
  });

  it('the report names, for each bundled library, the files whose DT_NEEDED lists it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbuild-bundle-report-'));
    library(join(dir, 'libinner.so.2'), 'libinner.so.2');
    library(join(dir, 'libouter.so.1'), 'libouter.so.1', [join(dir, 'libinner.so.2')]);
    library(join(dir, 'ext.so'), 'ext.so', [join(dir, 'libouter.so.1')]);
    library(join(dir, 'other.so'), 'other.so', [
      join(dir, 'libouter.so.1'),
      join(dir, 'libinner.so.2'),
    ]);
    const file = (name: string, at = name) => ({
      name: at,
      content: readFileSync(join(dir, name)),
      executable: false,
    });
    const tar = join(dir, 'tree.tar');
    writeFileSync(
      tar,
      await tarBuffer(
        [
          file('ext.so', 'pkg/ext.so'),
          file('other.so'),
          file('libouter.so.1', 'lib/libouter.so.1'),
          file('libinner.so.2', 'lib/libinner.so.2'),
          { name: 'pkg/__init__.py', content: Buffer.from(''), executable: false },
        ],
        'out/',
      ),
    );
    const bundle = await describeBundle(tar, {
      bundle: [
        { soname: 'libinner.so.2', source: '/usr/lib/libinner.so.2' },
        { soname: 'libouter.so.1', source: '/usr/lib/libouter.so.1' },
      ],
      unresolved: [],
    });
    expect(bundle.libraries).toEqual([
      {
        file: 'lib/libinner.so.2',
        bytes: readFileSync(join(dir, 'libinner.so.2')).length,
        neededBy: ['lib/libouter.so.1', 'other.so'],
        source: '/usr/lib/libinner.so.2',
      },
      {
        file: 'lib/libouter.so.1',
        bytes: readFileSync(join(dir, 'libouter.so.1')).length,
        neededBy: ['other.so', 'pkg/ext.so'],
        source: '/usr/lib/libouter.so.1',
      },
    ]);
  });
});
