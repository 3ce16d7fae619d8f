/**
 * Reads what the dynamic loader will ask of an ELF file: its class and machine, the libraries it
 * needs (DT_NEEDED), the symbol versions it requires from each (the version-needs table,
 * .gnu.version_r) and which undefined symbols carry each version. It follows the loader's own path,
 * the program headers and the dynamic segment, so it reads a few ranges and never a whole file;
 * section headers are consulted only to count dynamic symbols when the hash tables don't say.
 */
import type { ByteSource } from './byte-source.js';
import {
  cString,
  DT_NEEDED,
  DT_SONAME,
  DT_STRSZ,
  DT_STRTAB,
  DT_SYMTAB,
  DT_VERNEED,
  DT_VERNEEDNUM,
  DT_VERSYM,
  ElfFormatError,
  Fields,
  maxStringTable,
  maxVerneed,
  PT_DYNAMIC,
  PT_INTERP,
} from './elf-format.js';
import { elfMachineName } from './elf-machines.js';
import { addressToOffset, readDynamic, readSegments, type DynamicEntry } from './elf-segments.js';
import { dynamicSymbolCount } from './elf-symbol-count.js';
import { readVersionNeeds, symbolsByVersion, type VersionNeed } from './elf-versions.js';

export { ElfFormatError } from './elf-format.js';
export type { VersionNeed } from './elf-versions.js';

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

/** Where the ELF header keeps the program and section header tables, per class. */
const headerLayouts = {
  64: { phoff: 32, shoff: 40, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60 },
  32: { phoff: 28, shoff: 32, phentsize: 42, phnum: 44, shentsize: 46, shnum: 48 },
} as const;
type HeaderLayout = (typeof headerLayouts)[keyof typeof headerLayouts];

/** What the dynamic part of the reading needs to know about the file. */
interface DynamicImage {
  source: ByteSource;
  f: Fields;
  header: Buffer;
  at: HeaderLayout;
  dynamic: DynamicEntry[];
  toOffset: (address: number) => number;
}

export async function readElf(source: ByteSource): Promise<ElfInfo> {
  const header = await source.read(0, 64);
  const f = headerFields(header);
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
  const at = headerLayouts[f.bits];
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
  await readLinkage({ source, f, header, at, dynamic, toOffset: addressToOffset(segments) }, info);
  return info;
}

/** The identification bytes: an ELF file of a known class and byte order, or an error. */
function headerFields(header: Buffer): Fields {
  if (header.length < 52 || header.readUInt32BE(0) !== 0x7f454c46)
    throw new ElfFormatError('not an ELF file');
  const elfClass = header[4];
  const data = header[5];
  if (elfClass !== 1 && elfClass !== 2) throw new ElfFormatError(`unknown ELF class ${elfClass}`);
  if (data !== 1 && data !== 2) throw new ElfFormatError(`unknown ELF byte order ${data}`);
  const f = new Fields(elfClass === 2 ? 64 : 32, data === 1);
  if (f.bits === 64 && header.length < 64) throw new ElfFormatError('truncated ELF header');
  return f;
}

/** The dynamic segment's names (needed libraries, soname), then its version needs and symbols. */
async function readLinkage(image: DynamicImage, info: ElfInfo): Promise<void> {
  const { source, f, dynamic, toOffset } = image;
  const first = (tag: number) => dynamic.find((d) => d.tag === tag)?.value;
  const strtabAddress = first(DT_STRTAB);
  const strsz = first(DT_STRSZ);
  if (strtabAddress === undefined || strsz === undefined) return;
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
  if (verneed === undefined || verneedNum === 0) return;
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
  if (versym === undefined || symtab === undefined) return;
  const count = await dynamicSymbolCount(source, f, image.header, image.at, dynamic, toOffset);
  if (count === undefined) return;
  info.symbolsByVersion = await symbolsByVersion(
    source,
    f,
    toOffset(symtab),
    toOffset(versym),
    count,
    byIndex,
    str,
  );
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
