/**
 * The loader's view of an ELF file: its program headers (segments) and the entries of its dynamic
 * segment, and how a virtual address in a loadable segment maps back to a file offset.
 */
import type { ByteSource } from './byte-source.js';
import { DT_NULL, ElfFormatError, maxDynamicEntries, PT_LOAD, type Fields } from './elf-format.js';

export interface Segment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

export interface DynamicEntry {
  tag: number;
  value: number;
}

export async function readSegments(
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

export async function readDynamic(
  source: ByteSource,
  f: Fields,
  segment: Segment,
): Promise<DynamicEntry[]> {
  const size = f.bits === 64 ? 16 : 8;
  const count = Math.min(Math.floor(segment.filesz / size), maxDynamicEntries);
  const table = await source.read(segment.offset, count * size);
  const entries: DynamicEntry[] = [];
  for (let b = 0; b + size <= table.length; b += size) {
    const tag = f.word(table, b);
    if (tag === DT_NULL) break;
    entries.push({ tag, value: f.word(table, b + size / 2) });
  }
  return entries;
}

/** Maps a virtual address to its file offset through the loadable segments that hold it. */
export function addressToOffset(segments: Segment[]): (address: number) => number {
  const loads = segments.filter((s) => s.type === PT_LOAD);
  return (address) => {
    for (const s of loads)
      if (address >= s.vaddr && address < s.vaddr + s.filesz) return s.offset + (address - s.vaddr);
    throw new ElfFormatError(`address 0x${address.toString(16)} is outside every loadable segment`);
  };
}
