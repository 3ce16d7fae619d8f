/**
 * Real toolchains for the audit tests: fixtures are compiled at test time, and binutils' objdump is
 * the oracle for what the ELF reader must find. Which toolchains exist (and whether a missing one
 * skips or fails) is decided by toolGate in test/support/gates.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const auditFixtures = fileURLToPath(new URL('../../fixtures/audit/', import.meta.url));

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
