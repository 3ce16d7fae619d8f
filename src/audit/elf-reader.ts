/**
 * Reads what the dynamic loader will ask of an ELF file: its class and machine, the libraries it
 * needs (DT_NEEDED), the symbol versions it requires from each (the version-needs table,
 * .gnu.version_r) and which undefined symbols carry each version. It follows the loader's own path,
 * the program headers and the dynamic segment, so it reads a few ranges and never a whole file;
 * section headers are consulted only to count dynamic symbols when the hash tables don't say.
 */
import type { ByteSource } from './byte-source.js';

export interface VersionNeed {
  /** The library the versions are required from, e.g. "libc.so.6". */
  file: string;
  /** Version names in table order, e.g. ["GLIBC_2.2.5", "GLIBC_2.28"]. */
  versions: string[];
  /** Those marked VER_FLG_WEAK: the loader does not fail when they are missing. */
  weak: string[];
}

export type ElfType = 'relocatable' | 'executable' | 'shared object' | 'core' | 'other';

export interface ElfInfo {
  bits: 32 | 64;
  littleEndian: boolean;
  /** e_machine: 62 x86-64, 183 AArch64, ... */
  machine: number;
  machineName: string;
  type: ElfType;
  /** PT_INTERP, for executables: "/lib64/ld-linux-x86-64.so.2". */
  interpreter: string | undefined;
  soname: string | undefined;
  needed: string[];
  versionNeeds: VersionNeed[];
  /** Undefined dynamic symbols by the version they require ("GLIBC_2.28" → ["statx"]). */
  symbolsByVersion: Record<string, string[]>;
  /** No dynamic segment: a static executable or an object file. */
  dynamic: boolean;
}

export class ElfFormatError extends Error {}

// e_machine values from the System V ABI registry (elf.h).
const machineNames = new Map<number, string>([
  [2, 'SPARC'],
  [3, 'x86 (i386)'],
  [8, 'MIPS'],
  [20, 'PowerPC'],
  [21, 'PowerPC64'],
  [22, 'S/390'],
  [40, 'ARM (32-bit)'],
  [43, 'SPARC V9'],
  [50, 'IA-64'],
  [62, 'x86-64'],
  [183, 'AArch64'],
  [243, 'RISC-V'],
  [258, 'LoongArch'],
]);

export function elfMachineName(machine: number): string {
  return machineNames.get(machine) ?? `ELF machine ${machine}`;
}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_HASH = 4;
const DT_STRTAB = 5;
const DT_SYMTAB = 6;
const DT_STRSZ = 10;
const DT_SONAME = 14;
const DT_GNU_HASH = 0x6ffffef5;
const DT_VERSYM = 0x6ffffff0;
const DT_VERNEED = 0x6ffffffe;
const DT_VERNEEDNUM = 0x6fffffff;
const SHT_DYNSYM = 11;
const VER_FLG_WEAK = 0x2;

// Caps against corrupt files: far above anything a real library has.
const maxDynamicEntries = 100_000;
const maxVerneed = 10_000;
const maxSymbols = 4_000_000;
const maxStringTable = 64 * 1024 * 1024;

interface Segment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

/** Field reader for one ELF class and byte order. */
class Fields {
  constructor(
    readonly bits: 32 | 64,
    readonly le: boolean,
  ) {}
  u16(b: Buffer, at: number): number {
    return this.le ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }
  u32(b: Buffer, at: number): number {
    return this.le ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }
  u64(b: Buffer, at: number): number {
    const value = this.le ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at);
    // Values past 2^53 are never real offsets or tags we care about; keep them out of range.
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  }
  /** An address/offset-sized word: 4 bytes in ELF32, 8 in ELF64. */
  word(b: Buffer, at: number): number {
    return this.bits === 64 ? this.u64(b, at) : this.u32(b, at);
  }
}

export async function readElf(source: ByteSource): Promise<ElfInfo> {
  const header = await source.read(0, 64);
  if (header.length < 52 || header.readUInt32BE(0) !== 0x7f454c46)
    throw new ElfFormatError('not an ELF file');
  const elfClass = header[4];
  const data = header[5];
  if (elfClass !== 1 && elfClass !== 2) throw new ElfFormatError(`unknown ELF class ${elfClass}`);
  if (data !== 1 && data !== 2) throw new ElfFormatError(`unknown ELF byte order ${data}`);
  const f = new Fields(elfClass === 2 ? 64 : 32, data === 1);
  if (f.bits === 64 && header.length < 64) throw new ElfFormatError('truncated ELF header');
  const machine = f.u16(header, 18);
  const info: ElfInfo = {
    bits: f.bits,
    littleEndian: f.le,
    machine,
    machineName: elfMachineName(machine),
    type: elfType(f.u16(header, 16)),
    interpreter: undefined,
    soname: undefined,
    needed: [],
    versionNeeds: [],
    symbolsByVersion: {},
    dynamic: false,
  };
  const at =
    f.bits === 64
      ? { phoff: 32, shoff: 40, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60 }
      : { phoff: 28, shoff: 32, phentsize: 42, phnum: 44, shentsize: 46, shnum: 48 };
  const segments = await readSegments(
    source,
    f,
    f.word(header, at.phoff),
    f.u16(header, at.phentsize),
    f.u16(header, at.phnum),
  );
  const interp = segments.find((s) => s.type === PT_INTERP);
  if (interp)
    info.interpreter = cString(await source.read(interp.offset, Math.min(interp.filesz, 4096)), 0);
  const dynamicSegment = segments.find((s) => s.type === PT_DYNAMIC);
  if (!dynamicSegment) return info;
  info.dynamic = true;

  const dynamic = await readDynamic(source, f, dynamicSegment);
  const loads = segments.filter((s) => s.type === PT_LOAD);
  const toOffset = (address: number): number => {
    for (const s of loads)
      if (address >= s.vaddr && address < s.vaddr + s.filesz) return s.offset + (address - s.vaddr);
    throw new ElfFormatError(`address 0x${address.toString(16)} is outside every loadable segment`);
  };
  const first = (tag: number) => dynamic.find((d) => d.tag === tag)?.value;
  const strtabAddress = first(DT_STRTAB);
  const strsz = first(DT_STRSZ);
  if (strtabAddress === undefined || strsz === undefined) return info;
  if (strsz > maxStringTable) throw new ElfFormatError(`string table of ${strsz} bytes`);
  const strtab = await source.read(toOffset(strtabAddress), strsz);
  const str = (offset: number) => {
    if (offset >= strtab.length)
      throw new ElfFormatError(`string offset ${offset} is past the string table`);
    return cString(strtab, offset);
  };

  info.needed = dynamic.filter((d) => d.tag === DT_NEEDED).map((d) => str(d.value));
  const soname = first(DT_SONAME);
  if (soname !== undefined) info.soname = str(soname);

  const verneed = first(DT_VERNEED);
  const verneedNum = first(DT_VERNEEDNUM) ?? 0;
  if (verneed === undefined || verneedNum === 0) return info;
  const { needs, byIndex } = await readVersionNeeds(
    source,
    f,
    toOffset(verneed),
    Math.min(verneedNum, maxVerneed),
    str,
  );
  info.versionNeeds = needs;

  const versym = first(DT_VERSYM);
  const symtab = first(DT_SYMTAB);
  if (versym === undefined || symtab === undefined) return info;
  const count = await dynamicSymbolCount(source, f, header, at, dynamic, toOffset);
  if (count === undefined) return info;
  info.symbolsByVersion = await symbolsByVersion(
    source,
    f,
    toOffset(symtab),
    toOffset(versym),
    count,
    byIndex,
    str,
  );
  return info;
}

function elfType(value: number): ElfType {
  return value === 1
    ? 'relocatable'
    : value === 2
      ? 'executable'
      : value === 3
        ? 'shared object'
        : value === 4
          ? 'core'
          : 'other';
}

function cString(buffer: Buffer, offset: number): string {
  const end = buffer.indexOf(0, offset);
  return buffer.toString('utf8', offset, end < 0 ? buffer.length : end);
}

async function readSegments(
  source: ByteSource,
  f: Fields,
  phoff: number,
  entsize: number,
  count: number,
): Promise<Segment[]> {
  if (count === 0 || phoff === 0) return [];
  const expected = f.bits === 64 ? 56 : 32;
  if (entsize < expected) throw new ElfFormatError(`program header entries of ${entsize} bytes`);
  const table = await source.read(phoff, entsize * count);
  if (table.length < entsize * count) throw new ElfFormatError('truncated program header table');
  const segments: Segment[] = [];
  for (let i = 0; i < count; i++) {
    const b = i * entsize;
    segments.push(
      f.bits === 64
        ? {
            type: f.u32(table, b),
            offset: f.u64(table, b + 8),
            vaddr: f.u64(table, b + 16),
            filesz: f.u64(table, b + 32),
          }
        : {
            type: f.u32(table, b),
            offset: f.u32(table, b + 4),
            vaddr: f.u32(table, b + 8),
            filesz: f.u32(table, b + 16),
          },
    );
  }
  return segments;
}

async function readDynamic(
  source: ByteSource,
  f: Fields,
  segment: Segment,
): Promise<{ tag: number; value: number }[]> {
  const size = f.bits === 64 ? 16 : 8;
  const count = Math.min(Math.floor(segment.filesz / size), maxDynamicEntries);
  const table = await source.read(segment.offset, count * size);
  const entries: { tag: number; value: number }[] = [];
  for (let b = 0; b + size <= table.length; b += size) {
    const tag = f.word(table, b);
    if (tag === DT_NULL) break;
    entries.push({ tag, value: f.word(table, b + size / 2) });
  }
  return entries;
}

/**
 * Elf_Verneed {vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32} and
 * Elf_Vernaux {vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32}: the same
 * 16-byte layout in both ELF classes. vna_other is the index that .gnu.version entries refer to.
 */
async function readVersionNeeds(
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

/** How many entries .dynsym has: from its section header, else DT_HASH, else DT_GNU_HASH. */
async function dynamicSymbolCount(
  source: ByteSource,
  f: Fields,
  header: Buffer,
  at: { shoff: number; shentsize: number; shnum: number },
  dynamic: { tag: number; value: number }[],
  toOffset: (address: number) => number,
): Promise<number | undefined> {
  const shoff = f.word(header, at.shoff);
  const shentsize = f.u16(header, at.shentsize);
  const shnum = f.u16(header, at.shnum);
  if (
    shoff > 0 &&
    shnum > 0 &&
    shentsize >= (f.bits === 64 ? 64 : 40) &&
    shoff + shnum * shentsize <= source.size
  ) {
    const table = await source.read(shoff, shnum * shentsize);
    for (let i = 0; i < shnum; i++) {
      const b = i * shentsize;
      if (f.u32(table, b + 4) !== SHT_DYNSYM) continue;
      const size = f.bits === 64 ? f.u64(table, b + 32) : f.u32(table, b + 20);
      const entsize = f.bits === 64 ? f.u64(table, b + 56) : f.u32(table, b + 36);
      if (entsize > 0) return Math.min(Math.floor(size / entsize), maxSymbols);
    }
  }
  const hash = dynamic.find((d) => d.tag === DT_HASH);
  if (hash) {
    const head = await source.read(toOffset(hash.value), 8);
    if (head.length === 8) return Math.min(f.u32(head, 4), maxSymbols);
  }
  const gnuHash = dynamic.find((d) => d.tag === DT_GNU_HASH);
  if (gnuHash) return gnuHashSymbolCount(source, f, toOffset(gnuHash.value));
  return undefined;
}

/** The highest symbol index reachable from a GNU hash table, plus one. */
async function gnuHashSymbolCount(
  source: ByteSource,
  f: Fields,
  offset: number,
): Promise<number | undefined> {
  const head = await source.read(offset, 16);
  if (head.length < 16) return undefined;
  const nbuckets = f.u32(head, 0);
  const symoffset = f.u32(head, 4);
  const bloomWords = f.u32(head, 8);
  if (nbuckets > maxSymbols || bloomWords > maxSymbols) return undefined;
  const bucketsAt = offset + 16 + bloomWords * (f.bits / 8);
  const buckets = await source.read(bucketsAt, nbuckets * 4);
  let last = 0;
  for (let i = 0; i + 4 <= buckets.length; i += 4) last = Math.max(last, f.u32(buckets, i));
  if (last < symoffset) return symoffset;
  const chainAt = bucketsAt + nbuckets * 4;
  for (let index = last; index < maxSymbols; index++) {
    const chain = await source.read(chainAt + (index - symoffset) * 4, 4);
    if (chain.length < 4) return undefined;
    if (f.u32(chain, 0) & 1) return index + 1;
  }
  return undefined;
}

async function symbolsByVersion(
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
