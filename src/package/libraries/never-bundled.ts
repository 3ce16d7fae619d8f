/**
 * Libraries that must never be copied into the zip, whatever the build container resolved:
 *
 * - what the runtime's OS provides (the audit's list, runtime-libraries.ts): the OS's copy is the
 *   one Lambda loads first anyway (/lib64 comes before /var/task/lib on LD_LIBRARY_PATH), and a
 *   second copy only costs space;
 * - glibc and its loader, in every spelling: they are tied to the OS's loader, and a copy from a
 *   newer build image cannot even be loaded by an older one;
 * - the language runtime's own libraries (libpython, libnode): the runtime provides the symbols;
 * - the kernel's vDSO, which is no file at all.
 */
import { glibcLibraries, runtimeLibraries } from '../../audit/runtime-libraries.js';
import type { Architecture, RuntimeInfo } from '../../runtimes/catalog.js';

/**
 * glibc's other libraries, beyond the ones the audit needs to know (runtime-libraries.ts): the
 * vector math library, NSS modules, NIS, libthread_db and the malloc debugger.
 */
const glibcFamily =
  /^(?:ld-linux[^/]*|ld64\.so\.\d+|libmvec|libnsl|libnss_\w+|libthread_db|libBrokenLocale|libc_malloc_debug|libmemusage|libpcprofile)(?:\.so(?:\.[\d.]+)?|-[\d.]+\.so)$/;
const runtimeOwn = /^(?:libpython\d[\d.]*m?\.so|libnode\.so|linux-vdso\.so|linux-gate\.so)/;

/** The sonames this runtime and architecture must get from the OS, as a predicate. */
export function neverBundled(
  runtime: RuntimeInfo,
  architecture: Architecture,
): (soname: string) => boolean {
  const provided = runtimeLibraries(runtime, architecture);
  return (soname) =>
    provided.has(soname) ||
    glibcLibraries.has(soname) ||
    glibcFamily.test(soname) ||
    runtimeOwn.test(soname);
}

/** What the policy is made of, for the cache key: a changed list must not reuse old trees. */
export function neverBundledList(runtime: RuntimeInfo, architecture: Architecture): string[] {
  return [
    ...runtimeLibraries(runtime, architecture),
    ...glibcLibraries,
    glibcFamily.source,
    runtimeOwn.source,
  ].sort();
}
