/**
 * Compatibility tags of installed wheels. pip records them in `<name>-<version>.dist-info/WHEEL`
 * (`Tag: cp311-cp311-manylinux_2_28_x86_64`, one line per tag). A wheel is usable when any one of
 * its tags fits the runtime (PEP 425/600): the glibc floor of its manylinux policy, the CPU, and
 * for CPython-specific wheels the Python version.
 */
import type { Architecture, RuntimeInfo } from '../runtimes/catalog.js';
import { compareVersions } from './glibc-versions.js';

export interface WheelTag {
  /** "cp311-cp311-manylinux_2_28_x86_64" */
  tag: string;
  python: string;
  abi: string;
  platform: string;
}

export type PlatformKind =
  'any' | 'manylinux' | 'musllinux' | 'linux' | 'macos' | 'windows' | 'other';

export interface Platform {
  kind: PlatformKind;
  /** glibc (manylinux) or musl (musllinux) floor, "2.28". */
  libcVersion: string | undefined;
  /** The CPU in the tag's spelling: x86_64, aarch64, arm64, amd64, universal2... */
  cpu: string | undefined;
}

export interface WheelFile {
  /** Distribution and version from the dist-info folder name. */
  name: string;
  version: string;
  tags: WheelTag[];
}

/** Parse a WHEEL metadata file; tag sets compressed with dots are expanded. */
export function parseWheelFile(path: string, text: string): WheelFile {
  const folder = path.split('/').at(-2) ?? '';
  const match = /^(.+?)-([^-]+)\.dist-info$/.exec(folder);
  const tags: WheelTag[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^Tag:\s*(\S+)\s*$/i.exec(line);
    if (!m) continue;
    const parts = m[1]!.split('-');
    if (parts.length !== 3) continue;
    const [pythons, abis, platforms] = parts as [string, string, string];
    for (const python of pythons.split('.'))
      for (const abi of abis.split('.'))
        for (const platform of platforms.split('.'))
          tags.push({ tag: `${python}-${abi}-${platform}`, python, abi, platform });
  }
  return { name: match?.[1] ?? folder, version: match?.[2] ?? '', tags };
}

export function isWheelMetadata(path: string): boolean {
  return /(^|\/)[^/]+\.dist-info\/WHEEL$/.test(path);
}

const legacyManylinux: Record<string, string> = {
  manylinux1: '2.5',
  manylinux2010: '2.12',
  manylinux2014: '2.17',
};

export function parsePlatform(platform: string): Platform {
  if (platform === 'any') return { kind: 'any', libcVersion: undefined, cpu: undefined };
  let m = /^(manylinux|musllinux)_(\d+)_(\d+)_(.+)$/.exec(platform);
  if (m)
    return { kind: m[1] as 'manylinux' | 'musllinux', libcVersion: `${m[2]}.${m[3]}`, cpu: m[4] };
  m = /^(manylinux1|manylinux2010|manylinux2014)_(.+)$/.exec(platform);
  if (m) return { kind: 'manylinux', libcVersion: legacyManylinux[m[1]!], cpu: m[2] };
  m = /^linux_(.+)$/.exec(platform);
  if (m) return { kind: 'linux', libcVersion: undefined, cpu: m[1] };
  m = /^macosx_\d+_\d+_(.+)$/.exec(platform);
  if (m) return { kind: 'macos', libcVersion: undefined, cpu: m[1] };
  if (platform === 'win32') return { kind: 'windows', libcVersion: undefined, cpu: 'x86' };
  m = /^win_(.+)$/.exec(platform);
  if (m) return { kind: 'windows', libcVersion: undefined, cpu: m[1] };
  return { kind: 'other', libcVersion: undefined, cpu: undefined };
}

/** The CPU spelling of manylinux/musllinux tags for a Lambda architecture. */
export function wheelCpu(architecture: Architecture): string {
  return architecture === 'x86_64' ? 'x86_64' : 'aarch64';
}

export type TagProblem =
  | { kind: 'wheel-glibc-too-new'; needs: string; has: string }
  | { kind: 'wheel-wrong-architecture'; cpu: string }
  | { kind: 'wheel-wrong-platform'; platform: PlatformKind }
  | { kind: 'wheel-wrong-python'; python: string };

/** Why a tag does not fit the runtime; an empty list means it fits. */
export function tagProblems(
  tag: WheelTag,
  runtime: RuntimeInfo,
  architecture: Architecture,
): TagProblem[] {
  const problems: TagProblem[] = [];
  const platform = parsePlatform(tag.platform);
  if (
    platform.kind === 'macos' ||
    platform.kind === 'windows' ||
    platform.kind === 'musllinux' ||
    platform.kind === 'other'
  ) {
    problems.push({ kind: 'wheel-wrong-platform', platform: platform.kind });
  } else if (platform.kind !== 'any') {
    if (platform.cpu !== wheelCpu(architecture))
      problems.push({ kind: 'wheel-wrong-architecture', cpu: platform.cpu ?? '?' });
    if (
      platform.kind === 'manylinux' &&
      platform.libcVersion &&
      compareVersions(platform.libcVersion, runtime.glibc) > 0
    ) {
      problems.push({
        kind: 'wheel-glibc-too-new',
        needs: platform.libcVersion,
        has: runtime.glibc,
      });
    }
  }
  if (runtime.language === 'python' && !pythonFits(tag, runtime.version))
    problems.push({ kind: 'wheel-wrong-python', python: tag.python });
  return problems;
}

/**
 * cp311-cp311 needs exactly 3.11; cp38-abi3 needs 3.8 or later; py3-none and the like fit any
 * Python 3. Other interpreters (pp, graalpy) never fit CPython.
 */
function pythonFits(tag: WheelTag, runtimeVersion: string): boolean {
  const m = /^cp(\d)(\d+)$/.exec(tag.python);
  if (!m) return /^py3\d*$/.test(tag.python);
  const wanted = `${m[1]}.${m[2]}`;
  if (tag.abi === 'abi3' || tag.abi === 'none') return compareVersions(runtimeVersion, wanted) >= 0;
  return compareVersions(runtimeVersion, wanted) === 0;
}
