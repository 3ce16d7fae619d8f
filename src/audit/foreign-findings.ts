/** Binaries for another operating system (Mach-O, PE) found in a package for Lambda's Linux. */
import { describeBinary, type BinaryInfo } from './binary-kind.js';
import type { Finding, Target } from './finding.js';
import { wheelCpu } from './wheel-tags.js';

/**
 * Windows launcher stubs that setuptools and distlib (vendored in pip) carry on every platform to
 * write console scripts on Windows: data on Linux, never executed.
 */
export function isHarmlessLauncher(file: string): boolean {
  return /(^|\/)(setuptools|distlib)\/[^/]+\.exe$/.test(file);
}

export function foreignFinding(
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
