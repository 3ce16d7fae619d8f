/**
 * The numbers of the ELF format that the reader needs (elf.h), the caps that keep a corrupt file
 * from making it read without end, and the field reader for one ELF class and byte order.
 */
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const DT_NULL = 0;
export const DT_NEEDED = 1;
export const DT_HASH = 4;
export const DT_STRTAB = 5;
export const DT_SYMTAB = 6;
export const DT_STRSZ = 10;
export const DT_SONAME = 14;
export const DT_GNU_HASH = 0x6ffffef5;
export const DT_VERSYM = 0x6ffffff0;
export const DT_VERNEED = 0x6ffffffe;
export const DT_VERNEEDNUM = 0x6fffffff;
export const SHT_DYNSYM = 11;
export const VER_FLG_WEAK = 0x2;

// Caps against corrupt files: far above anything a real library has.
export const maxDynamicEntries = 100_000;
export const maxVerneed = 10_000;
export const maxSymbols = 4_000_000;
export const maxStringTable = 64 * 1024 * 1024;

export class ElfFormatError extends Error {}

/** Field reader for one ELF class and byte order. */
export class Fields {
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

export function cString(buffer: Buffer, offset: number): string {
  const end = buffer.indexOf(0, offset);
  return buffer.toString('utf8', offset, end < 0 ? buffer.length : end);
}
