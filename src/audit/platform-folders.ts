/**
 * Packages that carry binaries for several platforms and pick one at run time, by folder:
 * prebuildify/node-gyp-build (`prebuilds/darwin-x64+arm64/`, `prebuilds/linux-x64/node.napi.musl.node`),
 * per-platform npm packages that npm installs regardless of libc (`@img/sharp-linuxmusl-x64`),
 * selenium's `webdriver/common/macos/`, PyInstaller's `bootloader/Darwin-64bit/`. A binary for
 * another platform in such a folder is never loaded on Lambda: worth a warning (it takes space),
 * not a failure. A binary that is wrong for the folder it claims (an x86-64 file in `linux-arm64/`)
 * is still an error.
 */
import type { Architecture } from '../runtimes/catalog.js';

export interface PlatformMarker {
  /** The folder (or file name) that names the platform. */
  where: string;
  os: 'linux' | 'darwin' | 'windows' | 'other' | undefined;
  musl: boolean;
  /** Architectures named next to the OS; empty when none is. */
  arches: (Architecture | 'other')[];
  /**
   * The folder follows a convention whose loader picks by platform at run time: prebuildify's
   * `prebuilds/<os>-<arch>` or a per-platform npm package (`node_modules/@esbuild/linux-arm64`).
   * A Linux folder for another CPU only counts as "not loaded" under such a convention; elsewhere
   * (`lib/x86_64-linux-gnu/`) nothing chooses, and a wrong binary there is a real error.
   */
  selectedAtRunTime: boolean;
}

const osTokens: Record<string, PlatformMarker['os']> = {
  linux: 'linux',
  darwin: 'darwin',
  macos: 'darwin',
  macosx: 'darwin',
  osx: 'darwin',
  win: 'windows',
  win32: 'windows',
  win64: 'windows',
  windows: 'windows',
  android: 'other',
  freebsd: 'other',
  openbsd: 'other',
  sunos: 'other',
  aix: 'other',
};

const archTokens: Record<string, Architecture | 'other'> = {
  x64: 'x86_64',
  x86_64: 'x86_64',
  amd64: 'x86_64',
  arm64: 'arm64',
  aarch64: 'arm64',
  ia32: 'other',
  x86: 'other',
  i386: 'other',
  i686: 'other',
  arm: 'other',
  armv6: 'other',
  armv7: 'other',
  armv7l: 'other',
  ppc64: 'other',
  ppc64le: 'other',
  s390x: 'other',
  riscv64: 'other',
  loong64: 'other',
};

/** The innermost folder of `path` that names a platform, or a prebuildify libc tag in the file name. */
export function platformMarker(path: string): PlatformMarker | undefined {
  const parts = path.split('/');
  const fileName = parts.pop() ?? '';
  for (let i = parts.length - 1; i >= 0; i--) {
    const segment = parts[i]!;
    const tokens = segment
      .toLowerCase()
      .replace(/x86[-_]64/g, 'x64')
      .split(/[-_.+@]/);
    let os: PlatformMarker['os'];
    let musl = false;
    for (const token of tokens) {
      if (token === 'linuxmusl' || token === 'musl' || token === 'alpine') {
        os = 'linux';
        musl = true;
      } else if (osTokens[token]) {
        os ??= osTokens[token];
      }
    }
    if (!os) continue;
    const arches = tokens
      .map((t) => archTokens[t])
      .filter((a): a is Architecture | 'other' => a !== undefined);
    const parent = parts[i - 1];
    const selectedAtRunTime =
      parent === 'prebuilds' ||
      parent === 'node_modules' ||
      (parent?.startsWith('@') === true && parts[i - 2] === 'node_modules');
    return {
      where: parts.slice(0, i + 1).join('/'),
      os,
      musl: musl || /\.musl\./.test(fileName),
      arches,
      selectedAtRunTime,
    };
  }
  if (/\.musl\.node$/.test(fileName))
    return { where: fileName, os: 'linux', musl: true, arches: [], selectedAtRunTime: true };
  return undefined;
}

/**
 * The folder is for another platform than Lambda's (glibc Linux on this architecture), so what is
 * in it is never loaded there: another OS or musl anywhere, another CPU only under a convention.
 */
export function isOtherPlatformFolder(marker: PlatformMarker, architecture: Architecture): boolean {
  if (marker.os !== 'linux' || marker.musl) return true;
  return (
    marker.selectedAtRunTime && marker.arches.length > 0 && !marker.arches.includes(architecture)
  );
}
