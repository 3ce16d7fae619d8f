/**
 * The judgement: what was read from the package (ELF facts, foreign binaries, wheel tags) against
 * one runtime and architecture. Pure; every finding names the file, what is wrong and how to fix it.
 */
import { formatBytes } from '../log.js';
import {
  directUploadLimitBytes,
  largestContributors,
  unzippedLimitBytes,
} from '../package/size-report.js';
import type { Architecture, RuntimeInfo } from '../runtimes/catalog.js';
import { describeBinary, type BinaryInfo } from './binary-kind.js';
import type { ElfInfo } from './elf-reader.js';
import {
  compareVersions,
  maxVersion,
  parseSymbolVersion,
  versionCeilings,
  type VersionNamespace,
} from './glibc-versions.js';
import { isOtherPlatformFolder, platformMarker } from './platform-folders.js';
import { glibcLibraries, missingLibraryNote, runtimeLibraries } from './runtime-libraries.js';
import {
  parsePlatform,
  tagProblems,
  wheelCpu,
  type TagProblem,
  type WheelFile,
} from './wheel-tags.js';

export type FindingKind =
  | 'wrong-architecture'
  | 'glibc-too-new'
  | 'libstdcxx-too-new'
  | 'musl-binary'
  | 'macos-binary'
  | 'windows-binary'
  | 'missing-library'
  | 'glibc-private'
  | 'xcrypt-versions'
  | 'unreadable-file'
  | 'size-limit'
  | 'other-platform-binary'
  | TagProblem['kind'];

/** Findings about the package as a whole (its size) name this instead of a file. */
export const wholePackage = '(package)';

export interface Finding {
  /** Path inside the package, '/'-separated, or "(package)". */
  file: string;
  kind: FindingKind;
  message: string;
  fix: string;
}

export interface AuditFacts {
  /** Every file in the package (to know which libraries it provides, and the unzipped size). */
  files: { name: string; size: number }[];
  /** Size of the zip itself, when a zip was audited. */
  zipBytes?: number;
  elf: { file: string; info: ElfInfo }[];
  foreign: { file: string; info: Exclude<BinaryInfo, { format: 'elf' }> }[];
  wheels: { file: string; wheel: WheelFile }[];
  unreadable: { file: string; reason: string }[];
}

export interface Verdict {
  errors: Finding[];
  warnings: Finding[];
}

export interface Target {
  runtime: RuntimeInfo;
  architecture: Architecture;
}

/** Findings that mean "built for another platform", which a platform folder can explain. */
const platformKinds: ReadonlySet<FindingKind> = new Set([
  'wrong-architecture',
  'musl-binary',
  'macos-binary',
  'windows-binary',
]);

const machineFor: Record<Architecture, number> = { x86_64: 62, arm64: 183 };
const archFor = new Map<number, Architecture>([
  [62, 'x86_64'],
  [183, 'arm64'],
]);

export function judge(facts: AuditFacts, target: Target): Verdict {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const provided = providedLibraries(facts);
  const platformError = (finding: Finding) => {
    const marker = platformMarker(finding.file);
    if (!marker || !isOtherPlatformFolder(marker, target.architecture)) {
      errors.push(finding);
      return;
    }
    warnings.push({
      file: finding.file,
      kind: 'other-platform-binary',
      message: `${finding.message}; it is in ${marker.where}, a folder for another platform, so Lambda never loads it`,
      fix: `Nothing to fix if the package also carries its Linux ${target.architecture} build; exclude the folder (package.exclude) to save space.`,
    });
  };
  for (const { file, info } of facts.elf) {
    const own: Finding[] = [];
    judgeElf(file, info, target, provided, own, warnings);
    for (const finding of own) {
      if (platformKinds.has(finding.kind)) platformError(finding);
      else errors.push(finding);
    }
  }
  for (const { file, info } of facts.foreign) {
    if (!isHarmlessLauncher(file)) platformError(foreignFinding(file, info, target));
  }
  for (const { file, wheel } of facts.wheels) errors.push(...judgeWheel(file, wheel, target));
  judgeSize(facts, errors, warnings);
  for (const { file, reason } of facts.unreadable) {
    warnings.push({
      file,
      kind: 'unreadable-file',
      message: `could not read this file: ${reason}`,
      fix: 'Check that the file is not truncated, corrupt or encrypted.',
    });
  }
  const order = (a: Finding, b: Finding) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
  return { errors: errors.sort(order), warnings: warnings.sort(order) };
}

/** Base names of every file and the SONAME of every ELF file in the package. */
function providedLibraries(facts: AuditFacts): Set<string> {
  const names = new Set<string>();
  for (const { name } of facts.files) names.add(baseName(name));
  for (const { info } of facts.elf) if (info.soname) names.add(info.soname);
  return names;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Lambda's two size limits (the same numbers `lbuild package` enforces). */
function judgeSize(facts: AuditFacts, errors: Finding[], warnings: Finding[]): void {
  const unzipped = facts.files.reduce((sum, f) => sum + f.size, 0);
  if (unzipped > unzippedLimitBytes) {
    const top = largestContributors(facts.files, 5)
      .map((c) => `${c.path} (${formatBytes(c.bytes)})`)
      .join(', ');
    errors.push({
      file: wholePackage,
      kind: 'size-limit',
      message: `unzips to ${formatBytes(unzipped)}, over Lambda's 250 MB limit (${unzippedLimitBytes} bytes, function and layers together); biggest: ${top}`,
      fix: 'Drop unused dependencies, move large ones to a layer or a container image, or exclude test/data folders with package.exclude.',
    });
  }
  if (facts.zipBytes !== undefined && facts.zipBytes > directUploadLimitBytes) {
    warnings.push({
      file: wholePackage,
      kind: 'size-limit',
      message: `the zip is ${formatBytes(facts.zipBytes)}, over the 50 MB limit for direct upload (${directUploadLimitBytes} bytes)`,
      fix: 'Upload it through S3 (aws lambda update-function-code --s3-bucket ...), or make it smaller.',
    });
  }
}

function runtimeLabel(runtime: RuntimeInfo): string {
  return `${runtime.name} (${runtime.os})`;
}

function judgeElf(
  file: string,
  info: ElfInfo,
  target: Target,
  provided: Set<string>,
  errors: Finding[],
  warnings: Finding[],
): void {
  // Object files and core dumps are never loaded; only executables and shared objects matter.
  if (info.type !== 'executable' && info.type !== 'shared object') return;
  const { runtime, architecture } = target;
  if (info.machine !== machineFor[architecture] || info.bits !== 64) {
    errors.push(wrongMachine(file, info, architecture));
    return;
  }
  if (isMusl(info)) {
    errors.push({
      file,
      kind: 'musl-binary',
      message: 'built against musl libc (Alpine Linux); Lambda runs glibc',
      fix: `Install the manylinux (glibc) build instead of musllinux, or build it in the official image for ${runtime.name} (\`lbuild package\` does).`,
    });
    return;
  }
  const system = runtimeLibraries(runtime, architecture);
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
  for (const needed of info.needed) {
    const library = baseName(needed);
    if (provided.has(library) || system.has(library)) continue;
    const note = missingLibraryNote(library, runtime);
    warnings.push({
      file,
      kind: 'missing-library',
      message: `needs ${library}, which neither the package nor ${runtimeLabel(runtime)} provides${note ? ` (${note})` : ''}`,
      fix: `Bundle ${library} in the package (auditwheel repair does this for wheels; a copy in lib/ is on Lambda's LD_LIBRARY_PATH as /var/task/lib) or ship it in a layer under lib/ (/opt/lib).`,
    });
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

/**
 * musl's loader is /lib/ld-musl-<arch>.so.1; its C library's soname is "libc.so" upstream (Debian's
 * musl-gcc) and "libc.musl-<arch>.so.1" on Alpine. glibc's is always libc.so.6.
 */
function isMusl(info: ElfInfo): boolean {
  return (
    (info.interpreter ?? '').includes('ld-musl') ||
    info.needed.some((n) => n === 'libc.so' || n.startsWith('libc.musl-'))
  );
}

function wrongMachine(file: string, info: ElfInfo, architecture: Architecture): Finding {
  const other = archFor.get(info.machine);
  const what = info.bits === 32 ? `32-bit ${info.machineName}` : info.machineName;
  const fix =
    other && other !== architecture && info.bits === 64
      ? `Build for ${architecture}: \`lbuild package --arch ${architecture}\` (or "architecture": "${architecture}" in lbuild.json), or deploy the function as ${other}.`
      : `Lambda runs 64-bit ${architecture === 'x86_64' ? 'x86-64' : 'arm64'} code here: install the Linux ${architecture} build of this package (\`lbuild package --arch ${architecture}\`).`;
  return {
    file,
    kind: 'wrong-architecture',
    message: `${what} binary in an ${architecture} function`,
    fix,
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

/**
 * Windows launcher stubs that setuptools and distlib (vendored in pip) carry on every platform to
 * write console scripts on Windows: data on Linux, never executed.
 */
function isHarmlessLauncher(file: string): boolean {
  return /(^|\/)(setuptools|distlib)\/[^/]+\.exe$/.test(file);
}

function foreignFinding(
  file: string,
  info: Exclude<BinaryInfo, { format: 'elf' }>,
  target: Target,
): Finding {
  const how = `Run \`lbuild package\` to build in a Linux container for ${target.runtime.name} ${target.architecture}${
    target.runtime.language === 'python'
      ? `, or pip install --platform manylinux2014_${wheelCpu(target.architecture)} --only-binary=:all:`
      : ''
  }.`;
  if (info.format === 'mach-o') {
    return {
      file,
      kind: 'macos-binary',
      message: `macOS binary (${describeBinary(info)}): built on a Mac; Lambda runs Linux`,
      fix: how,
    };
  }
  return {
    file,
    kind: 'windows-binary',
    message: `Windows binary (${describeBinary(info)}): built on Windows; Lambda runs Linux`,
    fix: how,
  };
}

function judgeWheel(file: string, wheel: WheelFile, target: Target): Finding[] {
  if (wheel.tags.length === 0) return [];
  const { runtime, architecture } = target;
  const judged = wheel.tags.map((tag) => ({
    tag,
    problems: tagProblems(tag, runtime, architecture),
  }));
  if (judged.some((j) => j.problems.length === 0)) return [];
  const best = judged.reduce((a, b) => (b.problems.length < a.problems.length ? b : a));
  const label = `wheel ${wheel.name}${wheel.version ? ` ${wheel.version}` : ''} (${best.tag.tag})`;
  const cpu = wheelCpu(architecture);
  return best.problems.map((problem): Finding => {
    switch (problem.kind) {
      case 'wheel-glibc-too-new':
        return {
          file,
          kind: problem.kind,
          message: `${label} needs glibc ${problem.needs}, ${runtimeLabel(runtime)} has ${problem.has}`,
          fix: `Pin a release of ${wheel.name} that ships a manylinux2014 wheel, or install with pip install --platform manylinux2014_${cpu} --only-binary=:all: --python-version ${runtime.version}${
            runtime.os === 'Amazon Linux 2' && compareVersions(problem.needs, '2.34') <= 0
              ? '; or move to python3.12 or later (Amazon Linux 2023, glibc 2.34)'
              : ''
          }.`,
        };
      case 'wheel-wrong-architecture':
        return {
          file,
          kind: problem.kind,
          message: `${label} is for ${problem.cpu}, the function is ${architecture}`,
          fix: `Build for the function's architecture: \`lbuild package --arch ${architecture}\`, or pip install --platform manylinux2014_${cpu} --only-binary=:all:.`,
        };
      case 'wheel-wrong-platform': {
        const platform = parsePlatform(best.tag.platform).kind;
        const where =
          platform === 'macos'
            ? 'macOS: installed on a Mac'
            : platform === 'windows'
              ? 'Windows: installed on Windows'
              : platform === 'musllinux'
                ? 'musl libc (Alpine)'
                : `platform ${best.tag.platform}`;
        return {
          file,
          kind: problem.kind,
          message: `${label} is for ${where}; Lambda runs glibc Linux`,
          fix: `Run \`lbuild package\` to install dependencies in a Linux container, or pip install --platform manylinux2014_${cpu} --only-binary=:all:.`,
        };
      }
      case 'wheel-wrong-python':
        return {
          file,
          kind: problem.kind,
          message: `${label} is for ${problem.python.replace(/^cp(\d)(\d+)$/, 'CPython $1.$2')}, the runtime is ${runtime.name}`,
          fix: `Install with the runtime's Python (\`lbuild package\` does), or pip install --python-version ${runtime.version} --only-binary=:all:.`,
        };
    }
  });
}
