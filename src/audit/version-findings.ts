/**
 * Symbol versions an ELF file needs against what the runtime's OS provides: glibc and libstdc++
 * versions newer than the OS's, glibc's private interface, and libxcrypt's versions on Amazon
 * Linux 2.
 */
import type { RuntimeInfo } from '../runtimes/catalog.js';
import type { ElfInfo } from './elf-reader.js';
import { runtimeLabel, type Finding, type Target } from './finding.js';
import {
  compareVersions,
  maxVersion,
  parseSymbolVersion,
  versionCeilings,
  type VersionNamespace,
} from './glibc-versions.js';
import { baseName } from './provided-libraries.js';
import { glibcLibraries } from './runtime-libraries.js';
import { wheelCpu } from './wheel-tags.js';

/**
 * The symbol versions this file needs that the runtime's OS lacks: one finding per namespace
 * (GLIBC, GLIBCXX, CXXABI) naming the highest version needed, plus the private and xcrypt cases.
 */
export function judgeVersionNeeds(
  file: string,
  info: ElfInfo,
  target: Target,
  provided: Set<string>,
  errors: Finding[],
  warnings: Finding[],
): void {
  const { runtime } = target;
  const ceilings = versionCeilings(runtime);
  const over: Partial<Record<VersionNamespace, { versions: string[]; library: string }>> = {};
  for (const need of info.versionNeeds) {
    // A library the package bundles brings its own versions, except glibc's, which must be the OS's.
    const library = baseName(need.file);
    if (!glibcLibraries.has(library) && provided.has(library)) continue;
    for (const name of need.versions) {
      if (need.weak.includes(name)) continue;
      if (name === 'GLIBC_PRIVATE') {
        warnings.push({
          file,
          kind: 'glibc-private',
          message: `needs GLIBC_PRIVATE from ${library}: it is part of glibc itself and only works with the exact glibc build it came from`,
          fix: "Do not ship glibc's own libraries in the package; the runtime provides them.",
        });
        continue;
      }
      if (
        name.startsWith('XCRYPT_') &&
        library === 'libcrypt.so.1' &&
        runtime.os === 'Amazon Linux 2'
      ) {
        errors.push(xcryptFinding(file, name, runtime));
        continue;
      }
      const version = parseSymbolVersion(name);
      if (!version || compareVersions(version.version, ceilings[version.namespace]) <= 0) continue;
      const slot = (over[version.namespace] ??= { versions: [], library });
      slot.versions.push(version.version);
    }
  }
  for (const namespace of Object.keys(over) as VersionNamespace[]) {
    const { versions, library } = over[namespace]!;
    const needed = maxVersion(versions)!;
    errors.push(versionFinding(file, info, namespace, needed, versions, library, target));
  }
}

/**
 * Distributions that moved to libxcrypt (Debian 11+, Fedora, Amazon Linux 2023) version crypt() as
 * XCRYPT_2.0 even in their libcrypt.so.1; Amazon Linux 2's libcrypt.so.1 is glibc's, with
 * GLIBC_2.2.5 versions only, so the loader refuses such a binary there.
 */
function xcryptFinding(file: string, version: string, runtime: RuntimeInfo): Finding {
  return {
    file,
    kind: 'xcrypt-versions',
    message: `needs ${version} from libcrypt.so.1 (libxcrypt, as on Debian or Fedora); ${runtimeLabel(runtime)} has glibc's libcrypt.so.1, which lacks it`,
    fix: `Build it in the official build image for ${runtime.name} (${runtime.buildImage}); \`lbuild package\` builds there.`,
  };
}

function versionFinding(
  file: string,
  info: ElfInfo,
  namespace: VersionNamespace,
  needed: string,
  versions: string[],
  library: string,
  target: Target,
): Finding {
  const { runtime, architecture } = target;
  const ceiling = versionCeilings(runtime)[namespace];
  if (namespace !== 'GLIBC') {
    return {
      file,
      kind: 'libstdcxx-too-new',
      message: `needs ${namespace}_${needed} from ${library}, ${runtimeLabel(runtime)} has ${namespace}_${ceiling}`,
      fix: `Build it with the compiler of the official build image for ${runtime.name} (${runtime.buildImage}; \`lbuild package\` builds there), or bundle the newer libstdc++.so.6 it was built with in the package (auditwheel repair does this for wheels).`,
    };
  }
  const symbols = versions
    .map((v) => info.symbolsByVersion[`GLIBC_${v}`] ?? [])
    .flat()
    .sort();
  const shown =
    symbols.length > 3
      ? `${symbols.slice(0, 3).join(', ')}, +${symbols.length - 3} more`
      : symbols.join(', ');
  const fixes = [
    `Build it in the official build image for ${runtime.name} (${runtime.buildImage}); \`lbuild package\` builds there.`,
  ];
  if (runtime.language === 'python') {
    fixes.push(
      `Or install a wheel built for an older glibc: pip install --platform manylinux2014_${wheelCpu(architecture)} --only-binary=:all: --python-version ${runtime.version} <package>.`,
    );
  } else {
    fixes.push(`Or use a prebuilt binary that supports glibc ${runtime.glibc}.`);
  }
  if (runtime.os === 'Amazon Linux 2' && compareVersions(needed, '2.34') <= 0)
    fixes.push('Or move to a runtime on Amazon Linux 2023 (glibc 2.34).');
  if (compareVersions(needed, '2.34') > 0)
    fixes.push(
      `No Lambda runtime has glibc ${needed}: it was built on a newer Linux than Lambda's.`,
    );
  return {
    file,
    kind: 'glibc-too-new',
    message: `needs GLIBC_${needed}${shown ? ` (${shown})` : ''}, ${runtimeLabel(runtime)} has ${ceiling}`,
    fix: fixes.join(' '),
  };
}
