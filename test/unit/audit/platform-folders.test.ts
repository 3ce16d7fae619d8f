import { describe, expect, it } from 'vitest';
import { isOtherPlatformFolder, platformMarker } from '../../../src/audit/platform-folders.js';

describe('platform folders', () => {
  it('reads prebuildify, npm per-platform packages and per-OS folders', () => {
    expect(
      platformMarker('node_modules/bufferutil/prebuilds/darwin-x64+arm64/bufferutil.node'),
    ).toEqual({
      where: 'node_modules/bufferutil/prebuilds/darwin-x64+arm64',
      os: 'darwin',
      musl: false,
      arches: ['x86_64', 'arm64'],
      selectedAtRunTime: true,
    });
    expect(platformMarker('node_modules/x/prebuilds/linux-x64/node.napi.musl.node')).toMatchObject({
      os: 'linux',
      musl: true,
    });
    expect(platformMarker('node_modules/@esbuild/linux-arm64/bin/esbuild')).toMatchObject({
      os: 'linux',
      arches: ['arm64'],
      selectedAtRunTime: true,
    });
    expect(platformMarker('node_modules/@img/sharp-linuxmusl-x64/lib/sharp.node')).toMatchObject({
      os: 'linux',
      musl: true,
    });
    expect(platformMarker('PyInstaller/bootloader/Darwin-64bit/run')).toMatchObject({
      os: 'darwin',
    });
    expect(platformMarker('lib/x86_64-linux-gnu/libfoo.so')).toMatchObject({
      os: 'linux',
      arches: ['x86_64'],
      selectedAtRunTime: false,
    });
    expect(
      platformMarker('numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so'),
    ).toBeUndefined();
    expect(platformMarker('python/lib/python3.11/site-packages/twine/x.so')).toBeUndefined();
  });

  it('knows which folders Lambda never loads from', () => {
    const other = (path: string, arch: 'x86_64' | 'arm64' = 'x86_64') =>
      isOtherPlatformFolder(platformMarker(path)!, arch);
    expect(other('prebuilds/darwin-x64/a.node')).toBe(true);
    expect(other('prebuilds/win32-ia32/a.node')).toBe(true);
    expect(other('prebuilds/linux-x64/a.node')).toBe(false);
    expect(other('prebuilds/linux-x64/a.node', 'arm64')).toBe(true);
    expect(other('prebuilds/linux-x64/node.napi.musl.node')).toBe(true);
    expect(other('selenium/webdriver/common/linux/selenium-manager')).toBe(false);
    expect(other('lib/x86_64-linux-gnu/libfoo.so', 'arm64')).toBe(false);
  });
});
