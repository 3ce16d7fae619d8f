/**
 * One ELF file against the target: built for its machine and for glibc (not musl), the symbol
 * versions it needs (version-findings.ts), and the libraries it needs that nothing provides.
 */
import type { Architecture } from '../runtimes/catalog.js';
import type { ElfInfo } from './elf-reader.js';
import { runtimeLabel, type Finding, type Target } from './finding.js';
import { baseName } from './provided-libraries.js';
import { isKnownAbsent, missingLibraryNote, runtimeLibraries } from './runtime-libraries.js';
import { judgeVersionNeeds } from './version-findings.js';

const machineFor: Record<Architecture, number> = { x86_64: 62, arm64: 183 };
const archFor = new Map<number, Architecture>([
  [62, 'x86_64'],
  [183, 'arm64'],
]);

export function judgeElf(
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
  judgeVersionNeeds(file, info, target, provided, errors, warnings);
  for (const finding of missingLibraries(file, info, target, provided))
    (isKnownAbsent(finding.library) ? errors : warnings).push(finding.finding);
}

/** Libraries the file needs that neither the package nor the runtime's OS is known to provide. */
function missingLibraries(
  file: string,
  info: ElfInfo,
  target: Target,
  provided: Set<string>,
): { library: string; finding: Finding }[] {
  const { runtime, architecture } = target;
  const system = runtimeLibraries(runtime, architecture);
  const missing: { library: string; finding: Finding }[] = [];
  for (const needed of info.needed) {
    const library = baseName(needed);
    if (provided.has(library) || system.has(library)) continue;
    const note = missingLibraryNote(library, runtime);
    const finding: Finding = {
      file,
      kind: 'missing-library',
      message: `needs ${library}, which neither the package nor ${runtimeLabel(runtime)} provides${note ? ` (${note})` : ''}`,
      fix: `Bundle ${library} in the package: \`lbuild package\` does it unless package.bundleLibraries is false (a copy in lib/ is on Lambda's LD_LIBRARY_PATH as /var/task/lib), or ship it in a layer under lib/ (/opt/lib).`,
    };
    missing.push({ library, finding });
  }
  return missing;
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
