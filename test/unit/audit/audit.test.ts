/**
 * Verdicts per runtime and architecture on real binaries, through each way in: in-memory entries,
 * a zip (written by Python's zipfile, an independent implementation) and a folder.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  auditEntries,
  auditFolder,
  auditPath,
  auditZip,
  type AuditReport,
} from '../../../src/audit/index.js';
import { judge } from '../../../src/audit/verdict.js';
import { runtimes, type Architecture } from '../../../src/runtimes/catalog.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import {
  buildCross,
  buildElf32,
  buildHost,
  buildMachO,
  buildMusl,
  buildPe,
  crossGate,
  elf32Gate,
  hostGate,
  machOGate,
  muslGate,
  peGate,
} from './binaries.js';
import { workDir } from './toolchain.js';
import { skipNote, toolGate } from '../../support/gates.js';

const al2 = runtimes.filter((r) => r.os === 'Amazon Linux 2').map((r) => r.name);
const al2023 = runtimes.filter((r) => r.os === 'Amazon Linux 2023').map((r) => r.name);
const pythons = runtimes.filter((r) => r.language === 'python').map((r) => r.name);

function audit(
  files: Record<string, string | Buffer>,
  runtime: string,
  architecture: Architecture = 'x86_64',
): Promise<AuditReport> {
  const entries = Object.entries(files).map(([name, content]) => ({
    name,
    data: typeof content === 'string' ? readFileSync(content) : content,
  }));
  return auditEntries(entries, { runtime, architecture });
}

const kinds = (report: AuditReport) => report.errors.map((e) => `${e.file}: ${e.kind}`);

describe.skipIf(hostGate.skipReason)(
  `x86-64 binaries from the host's gcc${skipNote(hostGate)}`,
  () => {
    let bin: ReturnType<typeof buildHost>;
    beforeAll(() => {
      bin = buildHost();
    });

    it('a .so that needs GLIBC_2.28 passes python3.12 (glibc 2.34) and fails python3.11 (2.26)', async () => {
      const pass = await audit({ 'pkg/_native.so': bin.statx }, 'python3.12');
      expect(pass).toMatchObject({
        ok: true,
        runtime: 'python3.12',
        architecture: 'x86_64',
        files: 1,
        elfFiles: 1,
        errors: [],
        warnings: [],
        requiredGlibc: '2.28',
      });
      const fail = await audit({ 'pkg/_native.so': bin.statx }, 'python3.11');
      expect(fail.ok).toBe(false);
      expect(fail.errors).toHaveLength(1);
      expect(fail.errors[0]).toMatchObject({
        file: 'pkg/_native.so',
        kind: 'glibc-too-new',
        message: 'needs GLIBC_2.28 (statx), python3.11 (Amazon Linux 2) has 2.26',
      });
      expect(fail.errors[0]!.fix).toContain('public.ecr.aws/sam/build-python3.11');
      expect(fail.errors[0]!.fix).toContain('manylinux2014_x86_64');
      for (const runtime of al2)
        expect((await audit({ 'a.so': bin.statx }, runtime)).ok, runtime).toBe(false);
      for (const runtime of al2023)
        expect((await audit({ 'a.so': bin.statx }, runtime)).ok, runtime).toBe(true);
    });

    it('a .so that needs only old symbol versions passes every x86_64 runtime', async () => {
      for (const { name } of runtimes)
        expect(await audit({ 'a.so': bin.old }, name)).toMatchObject({
          ok: true,
          errors: [],
          warnings: [],
        });
    });

    it('libm GLIBC_2.29 (exp/log) fails Amazon Linux 2', async () => {
      const report = await audit({ 'm.so': bin.math }, 'nodejs18.x');
      expect(report.errors.map((e) => e.message)).toEqual([
        'needs GLIBC_2.29 (exp, log), nodejs18.x (Amazon Linux 2) has 2.26',
      ]);
      expect(report.errors[0]!.fix).toContain('nodejs18.x');
      expect((await audit({ 'm.so': bin.math }, 'nodejs20.x')).ok).toBe(true);
    });

    it('GLIBC_2.36 fails every runtime and says no Lambda runtime has it', async () => {
      for (const { name } of runtimes) {
        const report = await audit({ 'r.so': bin.arc4random }, name);
        expect(kinds(report), name).toEqual(['r.so: glibc-too-new']);
        expect(report.errors[0]!.message).toMatch(/^needs GLIBC_2\.36 \(arc4random\)/);
        expect(report.errors[0]!.fix).toContain('No Lambda runtime has glibc 2.36');
      }
    });

    it('an executable linked on glibc 2.34+ needs __libc_start_main@GLIBC_2.34', async () => {
      expect((await audit({ bin: bin.main }, 'python3.12')).ok).toBe(true);
      const report = await audit({ 'bin/tool': bin.main }, 'python3.9');
      expect(report.errors[0]!.message).toBe(
        'needs GLIBC_2.34 (__libc_start_main), python3.9 (Amazon Linux 2) has 2.26',
      );
      expect(report.errors[0]!.fix).toContain('Amazon Linux 2023');
    });

    it('judges libstdc++ versions against the system GCC, unless the package bundles libstdc++', async () => {
      for (const runtime of al2)
        expect(kinds(await audit({ 'x.so': bin.cxx29 }, runtime)), runtime).toEqual([
          'x.so: libstdcxx-too-new',
        ]);
      for (const runtime of al2023)
        expect((await audit({ 'x.so': bin.cxx29 }, runtime)).ok, runtime).toBe(true);
      const report = await audit({ 'x.so': bin.cxx30 }, 'python3.13');
      expect(report.errors.map((e) => e.message)).toEqual([
        'needs GLIBCXX_3.4.30 from libstdc++.so.6, python3.13 (Amazon Linux 2023) has GLIBCXX_3.4.29',
      ]);
      const libstdcxx = execFileSync('g++', ['-print-file-name=libstdc++.so.6'], {
        encoding: 'utf8',
      }).trim();
      if (existsSync(libstdcxx)) {
        const bundled = await audit(
          { 'x.so': bin.cxx30, 'lib/libstdc++.so.6': libstdcxx },
          'python3.13',
        );
        // x.so is satisfied by the bundled copy, but Debian 12's libstdc++ itself needs a glibc newer
        // than Lambda's: bundling the build machine's libstdc++ only moves the problem.
        expect(kinds(bundled)).toEqual(['lib/libstdc++.so.6: glibc-too-new']);
      }
    });

    it("glibc's own libraries count as the OS's even when the package carries a copy", async () => {
      const libc = execFileSync('gcc', ['-print-file-name=libc.so.6'], { encoding: 'utf8' }).trim();
      const report = await audit({ 'a.so': bin.statx, 'lib/libc.so.6': libc }, 'python3.11');
      expect(report.errors.find((e) => e.file === 'a.so')?.kind).toBe('glibc-too-new');
    });

    it('an x86-64 .so fails an arm64 audit', async () => {
      for (const { name } of runtimes) {
        const report = await audit({ 'pkg/_native.so': bin.old }, name, 'arm64');
        expect(report.errors, name).toEqual([
          {
            file: 'pkg/_native.so',
            kind: 'wrong-architecture',
            message: 'x86-64 binary in an arm64 function',
            fix: 'Build for arm64: `lbuild package --arch arm64` (or "architecture": "arm64" in lbuild.json), or deploy the function as x86_64.',
          },
        ]);
      }
    });

    it('warns about a needed library that neither the package nor the OS provides', async () => {
      const missing = await audit({ 'lib/libuser.so': bin.user }, 'python3.12');
      expect(missing.ok).toBe(true);
      expect(missing.warnings).toMatchObject([{ file: 'lib/libuser.so', kind: 'missing-library' }]);
      expect(missing.warnings[0]!.message).toBe(
        'needs libhelper.so.1, which neither the package nor python3.12 (Amazon Linux 2023) provides',
      );
      const bundled = await audit(
        { 'lib/libuser.so': bin.user, 'pkg.libs/libhelper.so.1': bin.helper },
        'python3.12',
      );
      expect(bundled.warnings).toEqual([]);
      // By SONAME too: the file name need not match.
      expect(
        (
          await audit(
            { 'lib/libuser.so': bin.user, 'lib/libhelper-1a2b3c.so': bin.helper },
            'python3.12',
          )
        ).warnings,
      ).toEqual([]);
    });

    it('fails a file that needs libpq.so.5, which no Lambda base image has', async () => {
      for (const runtime of ['python3.11', 'python3.14', 'nodejs24.x']) {
        const report = await audit({ 'psycopg2/_psycopg.so': bin.pqUser }, runtime);
        expect(report.ok, runtime).toBe(false);
        expect(report.errors, runtime).toMatchObject([
          { file: 'psycopg2/_psycopg.so', kind: 'missing-library' },
        ]);
        expect(report.errors[0]!.message).toMatch(
          /^needs libpq\.so\.5, .*no Lambda base image has it/,
        );
        expect(report.errors[0]!.fix).toContain('package.bundleLibraries');
      }
      const bundled = await audit(
        { 'psycopg2/_psycopg.so': bin.pqUser, 'lib/libpq.so.5': bin.helper },
        'python3.14',
      );
      expect(bundled.ok).toBe(true);
    });

    it("libcrypt.so.1: libxcrypt's XCRYPT_2.0 fails Amazon Linux 2; AL2023 has no libcrypt.so.1 at all", async () => {
      const al2Report = await audit({ 'hash.so': bin.crypt }, 'python3.11');
      expect(al2Report.errors.map((e) => e.message)).toEqual([
        "needs XCRYPT_2.0 from libcrypt.so.1 (libxcrypt, as on Debian or Fedora); python3.11 (Amazon Linux 2) has glibc's libcrypt.so.1, which lacks it",
      ]);
      const al2023Report = await audit({ 'hash.so': bin.crypt }, 'python3.12');
      expect(al2023Report.errors).toEqual([]);
      expect(al2023Report.warnings.map((w) => w.message)).toEqual([
        "needs libcrypt.so.1, which neither the package nor python3.12 (Amazon Linux 2023) provides (Amazon Linux 2023 has only libxcrypt's libcrypt.so.2; libcrypt.so.1 is not installed)",
      ]);
    });

    it('reads zips: deflated, stored and ZIP64 entries', async () => {
      const dir = workDir();
      const zip = join(dir, 'function.zip');
      const files = {
        'app.py': Buffer.from('import pkg\n'),
        'pkg/_native.so': bin.statx,
        'pkg/plain.so': bin.old,
        'bin/tool': bin.main,
      };
      writeZip(zip, files, { stored: ['pkg/plain.so'] });
      const report = await auditZip(zip, { runtime: 'python3.11', architecture: 'x86_64' });
      expect(report).toMatchObject({ source: zip, files: 4, elfFiles: 3 });
      expect(kinds(report)).toEqual(['bin/tool: glibc-too-new', 'pkg/_native.so: glibc-too-new']);
      const zip64 = join(dir, 'function64.zip');
      writeZip(zip64, files, { zip64: true });
      expect(
        kinds(await auditZip(zip64, { runtime: 'python3.11', architecture: 'x86_64' })),
      ).toEqual(kinds(report));
      // auditPath goes by the magic, not the name.
      const renamed = join(dir, 'function.bin');
      cpSync(zip, renamed);
      expect(
        kinds(await auditPath(renamed, { runtime: 'python3.11', architecture: 'x86_64' })),
      ).toEqual(kinds(report));
    });

    it('reads folders, following links to files', async () => {
      const dir = workDir();
      const put = (name: string, from: string) => {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        cpSync(from, join(dir, name));
      };
      put('pkg/_native.so', bin.statx);
      put('lib/libuser.so', bin.user);
      put('lib/libhelper.so.1.0.0', bin.helper);
      symlinkSync('libhelper.so.1.0.0', join(dir, 'lib', 'libhelper.so.1'));
      symlinkSync('..', join(dir, 'lib', 'loop'));
      writeFileSync(join(dir, 'app.py'), 'print(1)\n');
      const report = await auditFolder(dir, { runtime: 'python3.11', architecture: 'x86_64' });
      expect(report).toMatchObject({ files: 5, elfFiles: 4, warnings: [] });
      expect(kinds(report)).toEqual(['pkg/_native.so: glibc-too-new']);
      expect(
        kinds(await auditPath(dir, { runtime: 'python3.12', architecture: 'x86_64' })),
      ).toEqual([]);
    });

    it('audits a single binary', async () => {
      const report = await auditPath(bin.statx, { runtime: 'python3.10', architecture: 'x86_64' });
      expect(report).toMatchObject({ files: 1, elfFiles: 1 });
      expect(kinds(report)).toEqual(['libstatx.so: glibc-too-new']);
    });

    const zipTool = toolGate('zip');
    it.skipIf(zipTool.skipReason)(
      `reports an encrypted entry as unreadable instead of failing${skipNote(zipTool)}`,
      async () => {
        const dir = workDir();
        cpSync(bin.statx, join(dir, 'native.so'));
        execFileSync(zipTool.tools.zip!, ['-q', '-P', 'secret', 'enc.zip', 'native.so'], {
          cwd: dir,
        });
        const report = await auditZip(join(dir, 'enc.zip'), {
          runtime: 'python3.11',
          architecture: 'x86_64',
        });
        expect(report.errors).toEqual([]);
        expect(report.warnings).toMatchObject([{ file: 'native.so', kind: 'unreadable-file' }]);
      },
    );
  },
);

describe.skipIf(crossGate.skipReason)(
  `aarch64 binaries from aarch64-linux-gnu-gcc${skipNote(crossGate)}`,
  () => {
    it('an arm64 .so passes arm64 runtimes with its glibc, fails x86_64 audits', async () => {
      const bin = buildCross();
      expect((await audit({ 'a.so': bin.old }, 'python3.11', 'arm64')).ok).toBe(true);
      expect((await audit({ 'a.so': bin.statx }, 'python3.12', 'arm64')).ok).toBe(true);
      expect(
        (await audit({ 'a.so': bin.statx }, 'python3.11', 'arm64')).errors.map((e) => e.message),
      ).toEqual(['needs GLIBC_2.28 (statx), python3.11 (Amazon Linux 2) has 2.26']);
      const wrong = await audit({ 'a.so': bin.old }, 'python3.12', 'x86_64');
      expect(wrong.errors).toMatchObject([
        { kind: 'wrong-architecture', message: 'AArch64 binary in an x86_64 function' },
      ]);
      expect(wrong.errors[0]!.fix).toContain('lbuild package --arch x86_64');
    });
  },
);

describe.skipIf(elf32Gate.skipReason)(`32-bit ELF${skipNote(elf32Gate)}`, () => {
  it('a 32-bit x86 .so fails both architectures', async () => {
    const so = buildElf32();
    expect(
      (await audit({ 'a.so': so }, 'python3.12', 'x86_64')).errors.map((e) => e.message),
    ).toEqual(['32-bit x86 (i386) binary in an x86_64 function']);
    expect((await audit({ 'a.so': so }, 'python3.12', 'arm64')).errors.map((e) => e.kind)).toEqual([
      'wrong-architecture',
    ]);
  });
});

describe.skipIf(machOGate.skipReason)(`Mach-O${skipNote(machOGate)}`, () => {
  it('fails every runtime and architecture', async () => {
    const m = buildMachO();
    const files = {
      'pkg/_speedups.cpython-311-darwin.so': m.bundle,
      'lib/libanswer.dylib': m.universal,
      'lib/thin.dylib': m.x86_64,
    };
    for (const { name } of runtimes) {
      for (const arch of ['x86_64', 'arm64'] as const) {
        const report = await audit(files, name, arch);
        expect(
          report.errors.map((e) => e.kind),
          `${name} ${arch}`,
        ).toEqual(['macos-binary', 'macos-binary', 'macos-binary']);
      }
    }
    const report = await audit({ 'lib/libanswer.dylib': m.universal }, 'python3.12');
    expect(report.errors[0]!.message).toBe(
      'macOS binary (Mach-O universal x86_64 + arm64): built on a Mac; Lambda runs Linux',
    );
    expect(report.errors[0]!.fix).toMatch(/^Run `lbuild package` to build in a Linux container/);
  });
});

describe.skipIf(peGate.skipReason)(`PE${skipNote(peGate)}`, () => {
  it("fails Windows binaries, except setuptools' and distlib's launcher stubs", async () => {
    const pe = buildPe();
    const report = await audit(
      {
        'pkg/_native.cp311-win_amd64.pyd': pe.dll,
        'bin/tool.exe': pe.exe,
        'setuptools/cli-64.exe': pe.exe,
        'pip/_vendor/distlib/t64.exe': pe.exe,
      },
      'python3.11',
    );
    expect(kinds(report)).toEqual([
      'bin/tool.exe: windows-binary',
      'pkg/_native.cp311-win_amd64.pyd: windows-binary',
    ]);
    expect(report.errors[1]!.message).toBe(
      'Windows binary (PE32+ x86-64 DLL): built on Windows; Lambda runs Linux',
    );
  });
});

describe.skipIf(muslGate.skipReason)(`musl binaries from musl-gcc${skipNote(muslGate)}`, () => {
  it('fails a musl-linked shared object and executable (built for Alpine)', async () => {
    const musl = buildMusl();
    const report = await audit({ 'pkg/_native.so': musl.so, 'bin/tool': musl.exe }, 'nodejs20.x');
    expect(kinds(report)).toEqual(['bin/tool: musl-binary', 'pkg/_native.so: musl-binary']);
    expect(report.errors[0]!.message).toBe(
      'built against musl libc (Alpine Linux); Lambda runs glibc',
    );
  });
});

const multiGates = [hostGate, crossGate, machOGate, peGate, muslGate];
const multiSkip = multiGates.find((g) => g.skipReason)?.skipReason;
describe.skipIf(multiSkip)(
  `packages that carry binaries for several platforms${multiSkip ? ` [skipped: ${multiSkip}]` : ''}`,
  () => {
    it('warns about binaries in folders for other platforms and judges the one Lambda loads', async () => {
      const host = buildHost();
      const arm = buildCross();
      const mac = buildMachO();
      const pe = buildPe();
      const musl = buildMusl();
      const files = {
        // prebuildify / node-gyp-build, as bufferutil and utf-8-validate ship them
        'node_modules/bufferutil/prebuilds/darwin-x64+arm64/bufferutil.node': mac.universal,
        'node_modules/bufferutil/prebuilds/win32-x64/bufferutil.node': pe.dll,
        'node_modules/bufferutil/prebuilds/linux-arm64/bufferutil.node': arm.old,
        'node_modules/bufferutil/prebuilds/linux-x64/bufferutil.node': host.old,
        'node_modules/bufferutil/prebuilds/linux-x64/node.napi.musl.node': musl.so,
        // per-platform npm packages that npm installs whatever the libc
        'node_modules/@img/sharp-linuxmusl-x64/lib/sharp-linuxmusl-x64.node': musl.so,
        'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node': host.old,
        // selenium's per-OS selenium-manager
        'selenium/webdriver/common/macos/selenium-manager': mac.x86_64,
        'selenium/webdriver/common/windows/selenium-manager.exe': pe.exe,
        'selenium/webdriver/common/linux/selenium-manager': host.main,
      };
      const report = await audit(files, 'nodejs20.x', 'x86_64');
      expect(report.errors).toEqual([]);
      expect(report.warnings.map((w) => `${w.file}: ${w.kind}`)).toEqual([
        'node_modules/@img/sharp-linuxmusl-x64/lib/sharp-linuxmusl-x64.node: other-platform-binary',
        'node_modules/bufferutil/prebuilds/darwin-x64+arm64/bufferutil.node: other-platform-binary',
        'node_modules/bufferutil/prebuilds/linux-arm64/bufferutil.node: other-platform-binary',
        'node_modules/bufferutil/prebuilds/linux-x64/node.napi.musl.node: other-platform-binary',
        'node_modules/bufferutil/prebuilds/win32-x64/bufferutil.node: other-platform-binary',
        'selenium/webdriver/common/macos/selenium-manager: other-platform-binary',
        'selenium/webdriver/common/windows/selenium-manager.exe: other-platform-binary',
      ]);
      expect(report.warnings[2]!.message).toBe(
        'AArch64 binary in an x86_64 function; it is in node_modules/bufferutil/prebuilds/linux-arm64, a folder for another platform, so Lambda never loads it',
      );
      // A file that is wrong for the folder Lambda does load from is still an error.
      const wrongInRightFolder = await audit(
        { 'node_modules/x/prebuilds/linux-arm64/x.node': host.old },
        'nodejs20.x',
        'arm64',
      );
      expect(kinds(wrongInRightFolder)).toEqual([
        'node_modules/x/prebuilds/linux-arm64/x.node: wrong-architecture',
      ]);
      // A multiarch library folder is not a run-time choice: a wrong binary there is an error.
      const multiarch = await audit(
        { 'lib/x86_64-linux-gnu/libfoo.so': host.old },
        'python3.12',
        'arm64',
      );
      expect(kinds(multiarch)).toEqual(['lib/x86_64-linux-gnu/libfoo.so: wrong-architecture']);
    });
  },
);

describe('wheel tags', () => {
  const wheel = (tag: string) =>
    Buffer.from(
      `Wheel-Version: 1.0\nGenerator: bdist_wheel (0.40.0)\nRoot-Is-Purelib: false\nTag: ${tag}\n`,
    );

  it('a manylinux_2_28 wheel fails on Amazon Linux 2 runtimes and passes on AL2023', async () => {
    const files = {
      'cryptography-41.0.0.dist-info/WHEEL': wheel('cp37-abi3-manylinux_2_28_x86_64'),
      'cryptography/__init__.py': Buffer.from(''),
    };
    for (const name of pythons) {
      const report = await audit(files, name);
      expect(report.wheels).toBe(1);
      if (al2.includes(name)) {
        expect(report.errors, name).toMatchObject([
          { file: 'cryptography-41.0.0.dist-info/WHEEL', kind: 'wheel-glibc-too-new' },
        ]);
        expect(report.errors[0]!.message).toBe(
          `wheel cryptography 41.0.0 (cp37-abi3-manylinux_2_28_x86_64) needs glibc 2.28, ${name} (Amazon Linux 2) has 2.26`,
        );
      } else {
        expect(report.errors, name).toEqual([]);
      }
    }
  });

  it('flags the wrong CPU, platform and Python; any fitting tag makes the wheel fit', async () => {
    const report = await audit(
      {
        'a-1.0.dist-info/WHEEL': wheel('cp311-cp311-manylinux2014_aarch64'),
        'b-1.0.dist-info/WHEEL': wheel('cp311-cp311-macosx_11_0_arm64'),
        'c-1.0.dist-info/WHEEL': wheel('cp312-cp312-manylinux2014_x86_64'),
        'd-1.0.dist-info/WHEEL': Buffer.from(
          'Tag: cp311-cp311-manylinux_2_28_x86_64\nTag: cp311-cp311-manylinux2014_x86_64\n',
        ),
        'e-1.0.dist-info/WHEEL': wheel('py3-none-any'),
      },
      'python3.11',
    );
    expect(kinds(report)).toEqual([
      'a-1.0.dist-info/WHEEL: wheel-wrong-architecture',
      'b-1.0.dist-info/WHEEL: wheel-wrong-platform',
      'c-1.0.dist-info/WHEEL: wheel-wrong-python',
    ]);
  });
});

describe("Lambda's size limits", () => {
  it('fails a package that unzips to more than 250 MB', async () => {
    const dir = workDir();
    mkdirSync(join(dir, 'data'));
    // Sparse: the file system reports 270 MB without writing it.
    writeFileSync(join(dir, 'data', 'model.bin'), '');
    truncateSync(join(dir, 'data', 'model.bin'), 270 * 1024 * 1024);
    writeFileSync(join(dir, 'app.py'), 'print(1)\n');
    const report = await auditFolder(dir, { runtime: 'python3.12', architecture: 'x86_64' });
    expect(report.errors).toMatchObject([{ file: '(package)', kind: 'size-limit' }]);
    expect(report.errors[0]!.message).toMatch(
      /^unzips to 270\.0 MiB, over Lambda's 250 MB limit \(262144000 bytes, function and layers together\); biggest: data \(270\.0 MiB\)/,
    );
  });

  it('warns when the zip is over the 50 MB direct-upload limit', () => {
    const facts = {
      files: [{ name: 'a.bin', size: 60_000_000 }],
      zipBytes: 55_000_000,
      elf: [],
      foreign: [],
      wheels: [],
      unreadable: [],
    };
    const verdict = judge(facts, { runtime: findRuntime('python3.12'), architecture: 'x86_64' });
    expect(verdict.errors).toEqual([]);
    expect(verdict.warnings).toMatchObject([{ file: '(package)', kind: 'size-limit' }]);
    expect(verdict.warnings[0]!.fix).toContain('S3');
  });
});

describe('bad input', () => {
  it('says clearly when a path is missing or not a zip', async () => {
    await expect(
      auditPath('/nonexistent/function.zip', { runtime: 'python3.11', architecture: 'x86_64' }),
    ).rejects.toThrow(/does not exist/);
    const dir = workDir();
    writeFileSync(
      join(dir, 'broken.zip'),
      Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]),
    );
    await expect(
      auditPath(join(dir, 'broken.zip'), { runtime: 'python3.11', architecture: 'x86_64' }),
    ).rejects.toThrow(/not a zip file lbuild can read/);
    await expect(
      auditEntries([], { runtime: 'python2.7', architecture: 'x86_64' }),
    ).rejects.toThrow(/unknown runtime/);
    // An empty zip is a valid zip with nothing wrong in it.
    const empty = join(dir, 'empty.zip');
    writeZip(empty, {});
    expect(await auditPath(empty, { runtime: 'python3.11', architecture: 'x86_64' })).toMatchObject(
      { ok: true, files: 0 },
    );
  });
});

/** Write a zip with Python's zipfile: deflated unless listed as stored; optionally forced ZIP64. */
function writeZip(
  path: string,
  files: Record<string, string | Buffer>,
  options: { stored?: string[]; zip64?: boolean } = {},
): void {
  const dir = workDir();
  const listing = Object.entries(files).map(([name, content], i) => {
    const staged = join(dir, `f${i}`);
    writeFileSync(staged, typeof content === 'string' ? readFileSync(content) : content);
    return [name, staged, options.stored?.includes(name) ?? false];
  });
  const script = `
import json, sys, zipfile
out, listing, zip64 = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3] == "1"
with zipfile.ZipFile(out, "w") as z:
    for name, staged, stored in listing:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        info.external_attr = 0o100755 << 16
        with open(staged, "rb") as f, z.open(info, "w", force_zip64=zip64) as w:
            w.write(f.read())
`;
  execFileSync('python3', ['-c', script, path, JSON.stringify(listing), options.zip64 ? '1' : '0']);
}
