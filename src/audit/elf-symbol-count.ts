/**
 * How many entries the dynamic symbol table has. The dynamic segment does not say; the section
 * headers do when they were not stripped, else the hash table the loader itself uses.
 */
import type { ByteSource } from './byte-source.js';
import { DT_GNU_HASH, DT_HASH, maxSymbols, SHT_DYNSYM, type Fields } from './elf-format.js';
import type { DynamicEntry } from './elf-segments.js';

/** How many entries .dynsym has: from its section header, else DT_HASH, else DT_GNU_HASH. */
export async function dynamicSymbolCount(
  source: ByteSource,
  f: Fields,
  header: Buffer,
  at: { shoff: number; shentsize: number; shnum: number },
  dynamic: DynamicEntry[],
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
