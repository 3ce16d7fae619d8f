/**
 * The ELF reader against binutils: fixtures are compiled with real toolchains and every fact the
 * reader extracts must match what `objdump -p` / `objdump -T` report for the same file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../../src/audit/byte-source.js';
import { readElf, type ElfInfo } from '../../../src/audit/elf-reader.js';
import {
  auditFixtures,
  objdumpFacts,
  objdumpUndefinedByVersion,
  run,
  workDir,
} from './toolchain.js';
import { toolGate } from '../../support/gates.js';

const fixture = (name: string) => join(auditFixtures, name);
const readFixture = (path: string): Promise<ElfInfo> => readElf(bufferSource(readFileSync(path)));

function versionRefs(info: ElfInfo): Record<string, string[]> {
  return Object.fromEntries(info.versionNeeds.map((n) => [n.file, [...n.versions].sort()]));
}

function sortedRefs(refs: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(refs).map(([k, v]) => [k, [...v].sort()]));
}

/** Every fact the reader shares with objdump, compared one by one. */
async function expectMatchesObjdump(objdump: string, path: string): Promise<ElfInfo> {
  const info = await readFixture(path);
  const oracle = objdumpFacts(objdump, path);
  expect(info.needed).toEqual(oracle.needed);
  expect(info.soname).toEqual(oracle.soname);
  expect(versionRefs(info)).toEqual(sortedRefs(oracle.versionRefs));
  const symbols = Object.fromEntries(
    Object.entries(info.symbolsByVersion).map(([k, v]) => [k, [...v].sort()]),
  );
  expect(symbols).toEqual(objdumpUndefinedByVersion(objdump, path));
  return info;
}

const host = toolGate('gcc', 'g++', 'objdump');
describe.skipIf(host.skipReason)(
  `ELF from the host's gcc (x86-64, glibc 2.36)${host.skipReason ? ` [skipped: ${host.skipReason}]` : ''}`,
  () => {
    let dir: string;
    const gcc = (source: string, out: string, ...flags: string[]) => {
      // Libraries go after the source, or --as-needed drops them.
      const libs = flags.filter((f) => f.startsWith('-l'));
      const rest = flags.filter((f) => !f.startsWith('-l'));
      run(host.tools.gcc!, [
        '-O2',
        '-fPIC',
        ...rest,
        '-o',
        join(dir, out),
        fixture(source),
        ...libs,
      ]);
      return join(dir, out);
    };
    const gxx = (source: string, out: string, ...flags: string[]) => {
      run(host.tools['g++']!, [
        '-O2',
        '-fPIC',
        '-shared',
        ...flags,
        '-o',
        join(dir, out),
        fixture(source),
      ]);
      return join(dir, out);
    };

    beforeAll(() => {
      dir = workDir();
    });

    it('reads GLIBC_2.28 from a shared object that calls statx, like objdump', async () => {
      const info = await expectMatchesObjdump(
        host.tools.objdump!,
        gcc('statx.c', 'libstatx.so', '-shared'),
      );
      expect(info).toMatchObject({
        bits: 64,
        littleEndian: true,
        machine: 62,
        machineName: 'x86-64',
        type: 'shared object',
        dynamic: true,
      });
      expect(info.versionNeeds.find((n) => n.file === 'libc.so.6')?.versions).toContain(
        'GLIBC_2.28',
      );
      expect(info.symbolsByVersion['GLIBC_2.28']).toEqual(['statx']);
    });

    it('reads libm versions (exp/log are GLIBC_2.29) and the DT_NEEDED order', async () => {
      const info = await expectMatchesObjdump(
        host.tools.objdump!,
        gcc('math.c', 'libmath.so', '-shared', '-lm'),
      );
      expect(info.versionNeeds.find((n) => n.file === 'libm.so.6')?.versions).toContain(
        'GLIBC_2.29',
      );
    });

    it('reads an executable: interpreter and __libc_start_main@GLIBC_2.34', async () => {
      const info = await expectMatchesObjdump(host.tools.objdump!, gcc('main.c', 'main'));
      expect(info.interpreter).toBe('/lib64/ld-linux-x86-64.so.2');
      expect(info.symbolsByVersion['GLIBC_2.34']).toContain('__libc_start_main');
    });

    it('reads GLIBC_2.36 (arc4random) and a SONAME', async () => {
      const info = await expectMatchesObjdump(
        host.tools.objdump!,
        gcc('arc4random.c', 'librandom.so.1', '-shared', '-Wl,-soname,librandom.so.1'),
      );
      expect(info.soname).toBe('librandom.so.1');
      expect(info.symbolsByVersion['GLIBC_2.36']).toEqual(['arc4random']);
    });

    it('reads GLIBCXX_ and CXXABI_ versions from C++ code', async () => {
      const a = await expectMatchesObjdump(
        host.tools.objdump!,
        gxx('cxx-3.4.29.cc', 'libcxx29.so'),
      );
      expect(versionRefs(a)['libstdc++.so.6']).toContain('GLIBCXX_3.4.29');
      const b = await expectMatchesObjdump(
        host.tools.objdump!,
        gxx('cxx-3.4.30.cc', 'libcxx30.so', '-D_GLIBCXX_ASSERTIONS'),
      );
      expect(versionRefs(b)['libstdc++.so.6']).toContain('GLIBCXX_3.4.30');
    });

    it.each(['gnu', 'sysv'])(
      'counts symbols from the %s hash table when the section headers are gone',
      async (style) => {
        const path = gcc(
          'statx.c',
          `libnoshdr-${style}.so`,
          '-shared',
          `-Wl,--hash-style=${style}`,
        );
        const bytes = readFileSync(path);
        // Cut the file at the section header table (what sstrip does): only the loader's view remains.
        const shoff = Number(bytes.readBigUInt64LE(40));
        const cut = Buffer.from(bytes.subarray(0, shoff));
        cut.writeBigUInt64LE(0n, 40);
        cut.writeUInt16LE(0, 60);
        const info = await readElf(bufferSource(cut));
        expect(info.symbolsByVersion).toEqual(objdumpUndefinedByVersion(host.tools.objdump!, path));
        expect(versionRefs(info)).toEqual(
          sortedRefs(objdumpFacts(host.tools.objdump!, path).versionRefs),
        );
      },
    );

    it('reads only a few small ranges, never the whole file', async () => {
      const path = gcc('statx.c', 'libranges.so', '-shared');
      const bytes = readFileSync(path);
      let read = 0;
      const source = bufferSource(bytes);
      await readElf({
        size: source.size,
        read: (o, l) => ((read += Math.min(l, Math.max(0, bytes.length - o))), source.read(o, l)),
      });
      expect(read).toBeLessThan(bytes.length);
    });
  },
);

const cross = toolGate('aarch64-linux-gnu-gcc', 'objdump');
describe.skipIf(cross.skipReason)(
  `ELF from aarch64-linux-gnu-gcc${cross.skipReason ? ` [skipped: ${cross.skipReason}]` : ''}`,
  () => {
    it('reads machine 183 and GLIBC_2.28 from an aarch64 shared object, like objdump', async () => {
      const dir = workDir();
      const out = join(dir, 'libstatx-arm64.so');
      run(cross.tools['aarch64-linux-gnu-gcc']!, [
        '-O2',
        '-fPIC',
        '-shared',
        '-o',
        out,
        fixture('statx.c'),
      ]);
      const info = await expectMatchesObjdump(cross.tools.objdump!, out);
      expect(info).toMatchObject({
        bits: 64,
        littleEndian: true,
        machine: 183,
        machineName: 'AArch64',
      });
      expect(info.symbolsByVersion['GLIBC_2.28']).toEqual(['statx']);
    });
  },
);

const lld = toolGate('llvm-mc', 'ld.lld', 'objdump');
describe.skipIf(lld.skipReason)(
  `32-bit and big-endian ELF from llvm-mc + ld.lld${lld.skipReason ? ` [skipped: ${lld.skipReason}]` : ''}`,
  () => {
    /** A stub libc.so.6 that defines future_call@GLIBC_2.99, and a library that calls it. */
    function build(triple: string, arch: string): string {
      const dir = workDir();
      const mc = (src: string, out: string) =>
        run(lld.tools['llvm-mc']!, [
          `-triple=${triple}`,
          '-filetype=obj',
          '-o',
          join(dir, out),
          fixture(src),
        ]);
      mc(`versioned-lib-${arch}.s`, 'lib.o');
      mc(`versioned-user-${arch}.s`, 'user.o');
      run(lld.tools['ld.lld']!, [
        '-shared',
        '-soname',
        'libc.so.6',
        `--version-script=${fixture('glibc-2.99.map')}`,
        '-o',
        join(dir, 'libc.so.6'),
        join(dir, 'lib.o'),
      ]);
      run(lld.tools['ld.lld']!, [
        '-shared',
        '-soname',
        `libfuture-${arch}.so`,
        '-o',
        join(dir, `libfuture-${arch}.so`),
        join(dir, 'user.o'),
        join(dir, 'libc.so.6'),
      ]);
      return join(dir, `libfuture-${arch}.so`);
    }

    it('reads a 32-bit x86 (ELFCLASS32) object', async () => {
      const info = await expectMatchesObjdump(lld.tools.objdump!, build('i386-linux-gnu', 'i386'));
      expect(info).toMatchObject({
        bits: 32,
        littleEndian: true,
        machine: 3,
        soname: 'libfuture-i386.so',
      });
      expect(versionRefs(info)).toEqual({ 'libc.so.6': ['GLIBC_2.99'] });
      expect(info.symbolsByVersion).toEqual({ 'GLIBC_2.99': ['future_call'] });
    });

    it('reads a big-endian 64-bit PowerPC object', async () => {
      const info = await expectMatchesObjdump(
        lld.tools.objdump!,
        build('powerpc64-linux-gnu', 'ppc64'),
      );
      expect(info).toMatchObject({
        bits: 64,
        littleEndian: false,
        machine: 21,
        machineName: 'PowerPC64',
      });
      expect(versionRefs(info)).toEqual({ 'libc.so.6': ['GLIBC_2.99'] });
    });
  },
);
