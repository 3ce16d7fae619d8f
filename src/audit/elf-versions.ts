/**
 * Symbol versioning, as the loader checks it: which versions the file needs from each library
 * (.gnu.version_r) and which of its undefined dynamic symbols require each version (.gnu.version).
 */
import type { ByteSource } from './byte-source.js';
import { ElfFormatError, VER_FLG_WEAK, type Fields } from './elf-format.js';

export interface VersionNeed {
  /** The library the versions are required from, e.g. "libc.so.6". */
  file: string;
  /** Version names in table order, e.g. ["GLIBC_2.2.5", "GLIBC_2.28"]. */
  versions: string[];
  /** Those marked VER_FLG_WEAK: the loader does not fail when they are missing. */
  weak: string[];
}

/**
 * Elf_Verneed {vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32} and
 * Elf_Vernaux {vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32}: the same
 * 16-byte layout in both ELF classes. vna_other is the index that .gnu.version entries refer to.
 */
export async function readVersionNeeds(
  source: ByteSource,
  f: Fields,
  offset: number,
  count: number,
  str: (offset: number) => string,
): Promise<{ needs: VersionNeed[]; byIndex: Map<number, string> }> {
  const needs: VersionNeed[] = [];
  const byIndex = new Map<number, string>();
  let at = offset;
  for (let i = 0; i < count; i++) {
    const need = await source.read(at, 16);
    if (need.length < 16) throw new ElfFormatError('truncated version-needs table');
    const auxCount = f.u16(need, 2);
    const entry: VersionNeed = { file: str(f.u32(need, 4)), versions: [], weak: [] };
    let auxAt = at + f.u32(need, 8);
    for (let j = 0; j < auxCount; j++) {
      const aux = await source.read(auxAt, 16);
      if (aux.length < 16) throw new ElfFormatError('truncated version-needs entry');
      const name = str(f.u32(aux, 8));
      entry.versions.push(name);
      if (f.u16(aux, 4) & VER_FLG_WEAK) entry.weak.push(name);
      byIndex.set(f.u16(aux, 6) & 0x7fff, name);
      const next = f.u32(aux, 12);
      if (next === 0) break;
      auxAt += next;
    }
    needs.push(entry);
    const next = f.u32(need, 12);
    if (next === 0) break;
    at += next;
  }
  return { needs, byIndex };
}

/** Undefined dynamic symbols by the version they require ("GLIBC_2.28" → ["statx"]). */
export async function symbolsByVersion(
  source: ByteSource,
  f: Fields,
  symtabOffset: number,
  versymOffset: number,
  count: number,
  byIndex: Map<number, string>,
  str: (offset: number) => string,
): Promise<Record<string, string[]>> {
  const entsize = f.bits === 64 ? 24 : 16;
  const [symbols, versions] = await Promise.all([
    source.read(symtabOffset, count * entsize),
    source.read(versymOffset, count * 2),
  ]);
  const result: Record<string, string[]> = {};
  const usable = Math.min(Math.floor(symbols.length / entsize), Math.floor(versions.length / 2));
  for (let i = 1; i < usable; i++) {
    const version = byIndex.get(f.u16(versions, i * 2) & 0x7fff);
    if (!version) continue;
    const b = i * entsize;
    const shndx = f.bits === 64 ? f.u16(symbols, b + 6) : f.u16(symbols, b + 14);
    if (shndx !== 0) continue; // defined here: not something this file needs
    (result[version] ??= []).push(str(f.u32(symbols, b)));
  }
  return result;
}
