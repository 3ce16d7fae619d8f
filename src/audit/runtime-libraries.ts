/**
 * Shared libraries a function can rely on finding in the Lambda execution environment, per base OS
 * and architecture. The list is deliberately short: only libraries that every Lambda base image of
 * that OS carries because the OS or the language runtime itself needs them. A library missing
 * from here is not necessarily absent on Lambda; it is only not something to count on, so the
 * audit warns about it (bundle it in the package, e.g. with auditwheel, or in a layer) rather than
 * failing, unless it is one of the libraries known to be absent (knownAbsent below).
 *
 * - glibc's own libraries (libc, libm, libpthread, libdl, librt, libutil, libresolv, libanl and the
 *   loader). Since glibc 2.34 libpthread/libdl/librt/libutil are empty stubs kept for old binaries;
 *   they are still installed on Amazon Linux 2023.
 * - libgcc_s.so.1 and libstdc++.so.6: the system GCC runtime (GCC 7 on AL2, GCC 11 on AL2023);
 *   manylinux wheels may link them without bundling them, and the Node.js binary itself needs them.
 * - libz.so.1: zlib, a dependency of the base image's own tools.
 * - libcrypt.so.1 only on Amazon Linux 2, where glibc 2.26 still ships it (with GLIBC_2.2.5
 *   versions only: a binary linked against libxcrypt's libcrypt.so.1 needs XCRYPT_2.0, which the
 *   verdict reports). Amazon Linux 2023 uses libxcrypt (libcrypt.so.2) and does not install the
 *   libcrypt.so.1 compatibility package.
 *
 * Not listed on purpose: libssl/libcrypto (1.0.2 as .so.10 on AL2, 3.x on AL2023, neither stable
 * across image updates), libffi, libexpat, liblzma, libbz2, and libpython: Python extension
 * modules are not linked against libpython (the interpreter provides the symbols), so a module
 * that needs it was built for an embedding setup and should be checked.
 */
import type { Architecture, RuntimeInfo } from '../runtimes/catalog.js';

const loaders: Record<Architecture, string> = {
  x86_64: 'ld-linux-x86-64.so.2',
  arm64: 'ld-linux-aarch64.so.1',
};

/** glibc's own libraries that every Lambda OS installs (libcrypt.so.1 only on Amazon Linux 2). */
const glibcOwn = [
  'libc.so.6',
  'libm.so.6',
  'libpthread.so.0',
  'libdl.so.2',
  'librt.so.1',
  'libutil.so.1',
  'libresolv.so.2',
  'libanl.so.1',
];

const common = [...glibcOwn, 'libgcc_s.so.1', 'libstdc++.so.6', 'libz.so.1'];

const onlyOn: Record<RuntimeInfo['os'], string[]> = {
  'Amazon Linux 2': ['libcrypt.so.1'],
  'Amazon Linux 2023': [],
};

/**
 * glibc's libraries must come from the OS even when a package carries a copy: they are tied to the
 * OS's loader, so the OS's versions are the ones that count.
 */
export const glibcLibraries: ReadonlySet<string> = new Set([
  ...glibcOwn,
  'libcrypt.so.1',
  ...Object.values(loaders),
]);

export function runtimeLibraries(
  runtime: RuntimeInfo,
  architecture: Architecture,
): ReadonlySet<string> {
  return new Set([...common, loaders[architecture], ...onlyOn[runtime.os]]);
}

/**
 * Libraries packages commonly link that no Lambda base image has: database client libraries
 * (Lambda's rpm lists hold no postgresql-libs or mysql/mariadb libs, which is why
 * "No module named 'psycopg2._psycopg'" is the best-known Lambda import failure). Needing one is
 * an audit error, not a warning: the first request that imports the module fails on Lambda.
 */
const knownAbsent: readonly RegExp[] = [
  /^libpq\.so\.\d+$/,
  /^libmysqlclient\.so\.\d+$/,
  /^libmariadb\.so\.\d+$/,
];

export function isKnownAbsent(library: string): boolean {
  return knownAbsent.some((pattern) => pattern.test(library));
}

/** A known reason a library is missing, to say more than "not found". */
export function missingLibraryNote(library: string, runtime: RuntimeInfo): string | undefined {
  if (library === 'libcrypt.so.1' && runtime.os === 'Amazon Linux 2023') {
    return "Amazon Linux 2023 has only libxcrypt's libcrypt.so.2; libcrypt.so.1 is not installed";
  }
  if (isKnownAbsent(library)) return 'no Lambda base image has it';
  if (/^libpython\d/.test(library)) {
    return 'Python extension modules are normally not linked against libpython; this one was built for an embedding setup';
  }
  return undefined;
}
