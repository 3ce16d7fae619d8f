import { mkdirSync } from 'node:fs';
/**
 * The audit tests' binaries, compiled once per test file from test/fixtures/audit with real
 * toolchains. Each group is built only if its tools exist (see toolGate in
 * test/support/gates.ts for the gating).
 */
import { join } from 'node:path';
import { toolGate } from '../../support/gates.js';
import { auditFixtures, run, workDir } from './toolchain.js';

const src = (name: string) => join(auditFixtures, name);

export const hostGate = toolGate('gcc', 'g++');
export const crossGate = toolGate('aarch64-linux-gnu-gcc');
export const elf32Gate = toolGate('llvm-mc', 'ld.lld');
export const machOGate = toolGate('llvm-mc', 'ld64.lld', 'llvm-lipo');
export const peGate = toolGate('llvm-mc', 'lld-link');
export const muslGate = toolGate('musl-gcc');

/** x86-64 ELF from the host's gcc/g++ (Debian 12: glibc 2.36, GCC 12). Paths by fixture role. */
export function buildHost(): Record<
  | 'old'
  | 'statx'
  | 'math'
  | 'arc4random'
  | 'main'
  | 'cxx29'
  | 'cxx30'
  | 'helper'
  | 'user'
  | 'pqUser'
  | 'crypt',
  string
> {
  const dir = workDir();
  const { gcc, 'g++': gxx } = hostGate.tools as { gcc: string; 'g++': string };
  const out = (name: string) => join(dir, name);
  const so = (source: string, name: string, extra: string[] = [], libs: string[] = []) => {
    run(gcc, ['-O2', '-fPIC', '-shared', ...extra, '-o', out(name), src(source), ...libs]);
    return out(name);
  };
  const paths = {
    old: so('old.c', 'libold.so'),
    statx: so('statx.c', 'libstatx.so'),
    math: so('math.c', 'libmath.so', [], ['-lm']),
    arc4random: so('arc4random.c', 'librandom.so'),
    helper: so('helper.c', 'libhelper.so.1', ['-Wl,-soname,libhelper.so.1']),
    crypt: so('crypt.c', 'libhash.so', [], ['-lcrypt']),
    main: out('main'),
    cxx29: out('libcxx29.so'),
    cxx30: out('libcxx30.so'),
    user: out('libuser.so'),
    pqUser: out('_pq_user.so'),
  };
  // A library named like libpq (helper.c under the SONAME libpq.so.5), so a file can need it.
  const pqDir = join(dir, 'pq');
  mkdirSync(pqDir);
  run(gcc, [
    '-O2',
    '-fPIC',
    '-shared',
    '-Wl,-soname,libpq.so.5',
    '-o',
    join(pqDir, 'libpq.so.5'),
    src('helper.c'),
  ]);
  run(gcc, [
    '-O2',
    '-fPIC',
    '-shared',
    '-o',
    paths.pqUser,
    src('user.c'),
    `-L${pqDir}`,
    '-l:libpq.so.5',
  ]);
  run(gcc, ['-O2', '-o', paths.main, src('main.c')]);
  run(gxx, ['-O2', '-fPIC', '-shared', '-o', paths.cxx29, src('cxx-3.4.29.cc')]);
  run(gxx, [
    '-O2',
    '-fPIC',
    '-shared',
    '-D_GLIBCXX_ASSERTIONS',
    '-o',
    paths.cxx30,
    src('cxx-3.4.30.cc'),
  ]);
  run(gcc, [
    '-O2',
    '-fPIC',
    '-shared',
    '-o',
    paths.user,
    src('user.c'),
    `-L${dir}`,
    '-l:libhelper.so.1',
  ]);
  return paths;
}

/** aarch64 ELF from Debian's cross compiler (its sysroot is glibc 2.36 too). */
export function buildCross(): Record<'old' | 'statx', string> {
  const dir = workDir();
  const gcc = crossGate.tools['aarch64-linux-gnu-gcc']!;
  const so = (source: string, name: string) => {
    run(gcc, ['-O2', '-fPIC', '-shared', '-o', join(dir, name), src(source)]);
    return join(dir, name);
  };
  return { old: so('old.c', 'libold-arm64.so'), statx: so('statx.c', 'libstatx-arm64.so') };
}

/** A 32-bit i386 shared object (llvm-mc + ld.lld). */
export function buildElf32(): string {
  const dir = workDir();
  const { 'llvm-mc': mc, 'ld.lld': ld } = elf32Gate.tools as {
    'llvm-mc': string;
    'ld.lld': string;
  };
  run(mc, [
    '-triple=i386-linux-gnu',
    '-filetype=obj',
    '-o',
    join(dir, 'lib.o'),
    src('versioned-lib-i386.s'),
  ]);
  run(ld, ['-shared', '-soname', 'libi386.so', '-o', join(dir, 'libi386.so'), join(dir, 'lib.o')]);
  return join(dir, 'libi386.so');
}

/** Mach-O from llvm-mc + ld64.lld: thin dylibs, a bundle (how macOS builds Python extensions), a fat file. */
export function buildMachO(): Record<
  'x86_64' | 'arm64' | 'bundle' | 'universal' | 'object',
  string
> {
  const dir = workDir();
  const {
    'llvm-mc': mc,
    'ld64.lld': ld,
    'llvm-lipo': lipo,
  } = machOGate.tools as Record<string, string>;
  const obj = (arch: string) => {
    const out = join(dir, `answer-${arch}.o`);
    run(mc!, [`-triple=${arch}-apple-macos11`, '-filetype=obj', '-o', out, src(`macho-${arch}.s`)]);
    return out;
  };
  const x86 = obj('x86_64');
  const arm = obj('arm64');
  const link = (arch: string, input: string, kind: '-dylib' | '-bundle', name: string) => {
    const out = join(dir, name);
    run(ld!, [
      kind,
      '-arch',
      arch,
      '-platform_version',
      'macos',
      '11.0',
      '11.0',
      ...(kind === '-dylib' ? ['-install_name', name] : []),
      '-o',
      out,
      input,
    ]);
    return out;
  };
  const paths = {
    x86_64: link('x86_64', x86, '-dylib', 'libanswer-x86_64.dylib'),
    arm64: link('arm64', arm, '-dylib', 'libanswer-arm64.dylib'),
    bundle: link('arm64', arm, '-bundle', '_speedups.cpython-311-darwin.so'),
    universal: join(dir, 'libanswer-universal.dylib'),
    object: x86,
  };
  run(lipo!, ['-create', paths.x86_64, paths.arm64, '-output', paths.universal]);
  return paths;
}

/** PE32+ from llvm-mc + lld-link: a DLL (like a .pyd) and an executable (like a launcher stub). */
export function buildPe(): Record<'dll' | 'exe', string> {
  const dir = workDir();
  const { 'llvm-mc': mc, 'lld-link': link } = peGate.tools as Record<string, string>;
  const obj = join(dir, 'answer.obj');
  run(mc!, ['-triple=x86_64-pc-windows-msvc', '-filetype=obj', '-o', obj, src('pe-x86_64.s')]);
  const dll = join(dir, 'answer.dll');
  const exe = join(dir, 'cli-64.exe');
  run(link!, ['/dll', '/noentry', '/machine:x64', '/export:answer', `/out:${dll}`, obj]);
  run(link!, ['/subsystem:console', '/entry:mainCRTStartup', '/machine:x64', `/out:${exe}`, obj]);
  return { dll, exe };
}

/** musl-linked ELF from Debian's musl-gcc: what an Alpine build produces. */
export function buildMusl(): Record<'so' | 'exe', string> {
  const dir = workDir();
  const gcc = muslGate.tools['musl-gcc']!;
  const paths = { so: join(dir, 'libmusl.so'), exe: join(dir, 'main-musl') };
  run(gcc, ['-O2', '-fPIC', '-shared', '-o', paths.so, src('old.c')]);
  run(gcc, ['-O2', '-o', paths.exe, src('main.c')]);
  return paths;
}
