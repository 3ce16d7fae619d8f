/**
 * Which executable format a file is, from its first bytes: ELF (what Lambda runs), Mach-O (built
 * on a Mac, including fat/universal files) or PE (built on Windows). Everything else is data.
 */
import type { ByteSource } from './byte-source.js';

/** Enough bytes for every magic we check; PE headers further in are read on demand. */
export const headBytes = 64;

export type BinaryInfo =
  | { format: 'elf' }
  | {
      format: 'mach-o';
      universal: boolean;
      bits: 32 | 64 | undefined;
      cpus: string[];
      fileType: string | undefined;
    }
  | { format: 'pe'; machine: string; dll: boolean; bits: 32 | 64 | undefined };

export async function identifyBinary(source: ByteSource): Promise<BinaryInfo | undefined> {
  const head = await source.read(0, headBytes);
  if (head.length < 8) return undefined;
  const magic = head.readUInt32BE(0);
  if (magic === 0x7f454c46) return { format: 'elf' };
  const thin = machOThin(head, magic);
  if (thin) return thin;
  // fat.h's FAT_MAGIC(_64) and their byte-swapped FAT_CIGAM(_64) forms.
  if (magic === 0xcafebabe || magic === 0xcafebabf)
    return machOFat(source, magic === 0xcafebabf, false);
  if (magic === 0xbebafeca || magic === 0xbfbafeca)
    return machOFat(source, magic === 0xbfbafeca, true);
  if (head[0] === 0x4d && head[1] === 0x5a) return pe(source, head);
  return undefined;
}

// Mach-O cputype values (mach/machine.h); 0x01000000 marks the 64-bit ABI of a family.
const machOCpus = new Map<number, string>([
  [7, 'i386'],
  [0x01000007, 'x86_64'],
  [12, 'arm'],
  [0x0100000c, 'arm64'],
  [0x0200000c, 'arm64_32'],
  [18, 'ppc'],
  [0x01000012, 'ppc64'],
]);

const machOFileTypes = new Map<number, string>([
  [1, 'object'],
  [2, 'executable'],
  [6, 'dynamic library'],
  [8, 'bundle'],
]);

function machOThin(head: Buffer, magic: number): BinaryInfo | undefined {
  // feedface/feedfacf are big-endian files, cefaedfe/cffaedfe little-endian ones (all Intel and Apple silicon).
  const forms: Record<number, { bits: 32 | 64; le: boolean }> = {
    0xfeedface: { bits: 32, le: false },
    0xfeedfacf: { bits: 64, le: false },
    0xcefaedfe: { bits: 32, le: true },
    0xcffaedfe: { bits: 64, le: true },
  };
  const form = forms[magic];
  if (!form) return undefined;
  const u32 = (at: number) => (form.le ? head.readUInt32LE(at) : head.readUInt32BE(at));
  return {
    format: 'mach-o',
    universal: false,
    bits: form.bits,
    cpus: [machOCpu(u32(4))],
    fileType: machOFileTypes.get(u32(12)),
  };
}

function machOCpu(type: number): string {
  return machOCpus.get(type) ?? `cputype ${type}`;
}

async function machOFat(
  source: ByteSource,
  wide: boolean,
  le: boolean,
): Promise<BinaryInfo | undefined> {
  const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const head = await source.read(0, 8);
  const count = u32(head, 4);
  // Java class files share the cafebabe magic; there the next word is the class file version
  // (major 45 and up), far more than any real universal binary has architectures.
  if (count === 0 || count > 30) return undefined;
  const entrySize = wide ? 32 : 20;
  const table = await source.read(8, count * entrySize);
  if (table.length < count * entrySize) return undefined;
  const cpus: string[] = [];
  for (let i = 0; i < count; i++) {
    const type = u32(table, i * entrySize);
    if (!machOCpus.has(type)) return undefined;
    cpus.push(machOCpu(type));
  }
  return { format: 'mach-o', universal: true, bits: undefined, cpus, fileType: undefined };
}

// IMAGE_FILE_MACHINE_* values from the PE/COFF specification.
const peMachines = new Map<number, string>([
  [0x014c, 'i386'],
  [0x8664, 'x86-64'],
  [0xaa64, 'arm64'],
  [0x01c4, 'arm'],
  [0x0200, 'ia64'],
]);

async function pe(source: ByteSource, head: Buffer): Promise<BinaryInfo | undefined> {
  // A DOS stub alone ("MZ") is not enough: text files can start with those two letters.
  if (head.length < 0x40) return undefined;
  const offset = head.readUInt32LE(0x3c);
  if (offset < 0x40 || offset > source.size - 24) return undefined;
  const coff = await source.read(offset, 26);
  if (coff.length < 26 || coff.readUInt32BE(0) !== 0x50450000) return undefined;
  const machineId = coff.readUInt16LE(4);
  const characteristics = coff.readUInt16LE(22);
  const optional = await source.read(offset + 24, 2);
  const optionalMagic = optional.length === 2 ? optional.readUInt16LE(0) : 0;
  return {
    format: 'pe',
    machine: peMachines.get(machineId) ?? `machine 0x${machineId.toString(16)}`,
    dll: (characteristics & 0x2000) !== 0,
    bits: optionalMagic === 0x20b ? 64 : optionalMagic === 0x10b ? 32 : undefined,
  };
}

export function describeBinary(info: BinaryInfo): string {
  switch (info.format) {
    case 'elf':
      return 'ELF';
    case 'mach-o':
      if (info.universal) return `Mach-O universal ${info.cpus.join(' + ')}`;
      return `Mach-O ${info.bits}-bit ${info.cpus.join(', ')}${info.fileType ? ` ${info.fileType}` : ''}`;
    case 'pe':
      return `${info.bits === 64 ? 'PE32+' : 'PE32'} ${info.machine} ${info.dll ? 'DLL' : 'executable'}`;
  }
}
