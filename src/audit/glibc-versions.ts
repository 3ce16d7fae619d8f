/**
 * Symbol version names (GLIBC_2.28, GLIBCXX_3.4.29, CXXABI_1.3.11) and the highest of each that a
 * Lambda base OS provides. Only namespaces whose ceiling we know are judged; others (GCC_ from
 * libgcc_s, OPENSSL_, library-private ones) are reported by the reader but not compared.
 */
import type { RuntimeInfo } from '../runtimes/catalog.js';

export type VersionNamespace = 'GLIBC' | 'GLIBCXX' | 'CXXABI';

export interface SymbolVersion {
  namespace: VersionNamespace;
  /** "2.28" */
  version: string;
  /** "GLIBC_2.28" */
  name: string;
}

const pattern = /^(GLIBC|GLIBCXX|CXXABI)_(\d+(?:\.\d+)*)$/;

/** undefined for names we do not judge, including GLIBC_PRIVATE. */
export function parseSymbolVersion(name: string): SymbolVersion | undefined {
  const match = pattern.exec(name);
  if (!match) return undefined;
  return { namespace: match[1] as VersionNamespace, version: match[2]!, name };
}

/** Numeric, part by part: 2.9 < 2.17 < 2.28; "2.28" equals "2.28.0". */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export function maxVersion(versions: string[]): string | undefined {
  return versions.reduce<string | undefined>(
    (best, v) => (best === undefined || compareVersions(v, best) > 0 ? v : best),
    undefined,
  );
}

/**
 * The ceilings of each namespace per OS. GLIBC comes from the runtime catalog. libstdc++ is the
 * system GCC's: GCC 7.3 on Amazon Linux 2 (libstdc++.so.6.0.24: GLIBCXX_3.4.24, CXXABI_1.3.11),
 * GCC 11 on Amazon Linux 2023 (libstdc++.so.6.0.29: GLIBCXX_3.4.29, CXXABI_1.3.13).
 */
export function versionCeilings(runtime: RuntimeInfo): Record<VersionNamespace, string> {
  const al2 = runtime.os === 'Amazon Linux 2';
  return {
    GLIBC: runtime.glibc,
    GLIBCXX: al2 ? '3.4.24' : '3.4.29',
    CXXABI: al2 ? '1.3.11' : '1.3.13',
  };
}

/** The library that defines each namespace, for messages. */
export const namespaceLibrary: Record<VersionNamespace, string> = {
  GLIBC: 'glibc',
  GLIBCXX: 'libstdc++',
  CXXABI: 'libstdc++',
};

/** The manylinux policy whose glibc floor is this version: "manylinux2014" for 2.17. */
export function manylinuxNameFor(glibc: string): string {
  if (glibc === '2.5') return 'manylinux1';
  if (glibc === '2.12') return 'manylinux2010';
  if (glibc === '2.17') return 'manylinux2014';
  return `manylinux_${glibc.replace('.', '_')}`;
}
