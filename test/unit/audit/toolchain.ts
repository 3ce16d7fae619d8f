/**
 * Real toolchains for the audit tests: fixtures are compiled at test time, and binutils' objdump is
 * the oracle for what the ELF reader must find. A missing toolchain skips its tests, unless
 * LBUILD_REQUIRE_TOOLCHAINS is set (CI), where it fails them instead so nothing passes silently.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const auditFixtures = fileURLToPath(new URL('../../fixtures/audit/', import.meta.url));

/** Debian packages that provide each tool, for messages (and for CI's install list). */
const packages: Record<string, string> = {
  gcc: 'gcc',
  'g++': 'g++',
  objdump: 'binutils',
  'aarch64-linux-gnu-gcc': 'gcc-aarch64-linux-gnu',
  'llvm-mc': 'llvm-14',
  'llvm-lipo': 'llvm-14',
  'ld.lld': 'lld-14',
  'ld64.lld': 'lld-14',
  'lld-link': 'lld-14',
  zip: 'zip',
  'musl-gcc': 'musl-tools',
};

/** The tool's path on PATH, trying Debian's versioned LLVM names (llvm-mc-14...) too. */
export function findTool(name: string): string | undefined {
  for (const candidate of [name, `${name}-14`, `${name}-15`, `${name}-16`]) {
    try {
      return (
        execFileSync('sh', ['-c', `command -v ${candidate}`], { encoding: 'utf8' }).trim() ||
        undefined
      );
    } catch {
      // next
    }
  }
  return undefined;
}

export interface ToolGate {
  tools: Record<string, string>;
  /** Why the tests that need these tools are skipped, when they are. */
  skipReason: string | undefined;
}

export function toolGate(...names: string[]): ToolGate {
  const tools: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const path = findTool(name);
    if (path) tools[name] = path;
    else missing.push(name);
  }
  if (missing.length === 0) return { tools, skipReason: undefined };
  const reason = `missing ${missing.join(', ')} (apt-get install ${[...new Set(missing.map((m) => packages[m] ?? m))].join(' ')})`;
  if (process.env.LBUILD_REQUIRE_TOOLCHAINS)
    throw new Error(`LBUILD_REQUIRE_TOOLCHAINS is set but ${reason}`);
  return { tools, skipReason: reason };
}

export function workDir(): string {
  return mkdtempSync(join(tmpdir(), 'lbuild-audit-'));
}

export function run(tool: string, args: string[], cwd?: string): string {
  return execFileSync(tool, args, { encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface ObjdumpFacts {
  needed: string[];
  soname: string | undefined;
  /** "Version References": library → version names, in objdump's order. */
  versionRefs: Record<string, string[]>;
}

/** What `objdump -p` says about a file's dynamic section and version references. */
export function objdumpFacts(objdump: string, file: string): ObjdumpFacts {
  const text = run(objdump, ['-p', file]);
  const facts: ObjdumpFacts = { needed: [], soname: undefined, versionRefs: {} };
  let library: string | undefined;
  let inRefs = false;
  for (const line of text.split('\n')) {
    const dyn = /^\s+(NEEDED|SONAME)\s+(\S+)/.exec(line);
    if (dyn) {
      if (dyn[1] === 'NEEDED') facts.needed.push(dyn[2]!);
      else facts.soname = dyn[2]!;
      continue;
    }
    if (/^Version References:/.test(line)) {
      inRefs = true;
      continue;
    }
    if (!inRefs) continue;
    const from = /^\s+required from (\S+):$/.exec(line);
    if (from) {
      library = from[1]!;
      facts.versionRefs[library] = [];
      continue;
    }
    const ref = /^\s+0x[0-9a-f]+ 0x[0-9a-f]+ \d+ (\S+)$/.exec(line);
    if (ref && library) facts.versionRefs[library]!.push(ref[1]!);
    else if (line.trim() === '' && library) inRefs = false;
  }
  return facts;
}

/** `objdump -T`: undefined dynamic symbols by version, e.g. "GLIBC_2.28" → ["statx"]. */
export function objdumpUndefinedByVersion(objdump: string, file: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const line of run(objdump, ['-T', file]).split('\n')) {
    const m = /\*UND\*\s+[0-9a-f]+\s+\(?([A-Za-z0-9_.]+)\)?\s+(\S+)$/.exec(line);
    if (!m || !line.includes('*UND*')) continue;
    const [, version, name] = m as unknown as [string, string, string];
    if (version === 'Base') continue;
    (result[version] ??= []).push(name);
  }
  for (const names of Object.values(result)) names.sort();
  return result;
}
