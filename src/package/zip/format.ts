/**
 * Byte layout of the ZIP records we write (APPNOTE.TXT 6.3). Only what a reproducible Lambda zip
 * needs: regular files, stored or deflated, sizes known before the local header is written (so no
 * data descriptors), no extra fields, and a ZIP64 end record only when there are 65535+ entries.
 */
import { InternalError } from '../../errors.js';
import type { DosDateTime } from './timestamp.js';

export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const ZIP64_END_LOCATOR = 0x07064b50;

export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;

/** General purpose flag bit 11: the name is UTF-8. Set only for non-ASCII names, as Info-ZIP does. */
const FLAG_UTF8 = 0x0800;
/** "Version made by": high byte 3 = Unix (so extractors honour the mode bits), low byte spec 2.0. */
export const VERSION_MADE_BY = (3 << 8) | 20;
const VERSION_MADE_BY_ZIP64 = (3 << 8) | 45;
const VERSION_NEEDED_DEFLATE = 20;
const VERSION_NEEDED_STORED = 10;
const VERSION_NEEDED_ZIP64 = 45;

/** Largest value of a 32-bit size/offset field; 0xffffffff itself means "look in ZIP64". */
export const MAX_UINT32 = 0xfffffffe;
const MAX_UINT16 = 0xfffe;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

/**
 * Unix mode in the high 16 bits of the external attributes. Anything executable by anyone becomes
 * 0755, everything else 0644: the builder's umask and owner must not leak into the bytes.
 */
export function externalAttributes(mode: number): number {
  const type = mode & S_IFMT;
  if (type !== 0 && type !== S_IFREG) {
    throw new InternalError(`zip writer got a non-regular file mode 0${mode.toString(8)}`, {
      hint: 'Directories and symlinks must be resolved before zipping (tarToZipEntries does this).',
    });
  }
  const permissions = mode & 0o111 ? 0o755 : 0o644;
  return ((S_IFREG | permissions) << 16) >>> 0;
}

export interface EntryRecord {
  name: Buffer;
  method: typeof METHOD_STORED | typeof METHOD_DEFLATED;
  crc: number;
  compressedSize: number;
  size: number;
  externalAttributes: number;
  /** Offset of the local header from the start of the file. */
  offset: number;
}

function isAscii(name: Buffer): boolean {
  for (const byte of name) if (byte > 0x7f) return false;
  return true;
}

/**
 * The fields that the local and the central header share, in the same order, from `at` on: version
 * needed, flags, method, time, date, CRC, sizes, name length.
 */
function writeSharedFields(b: Buffer, entry: EntryRecord, dos: DosDateTime, at: number): void {
  b.writeUInt16LE(
    entry.method === METHOD_DEFLATED ? VERSION_NEEDED_DEFLATE : VERSION_NEEDED_STORED,
    at,
  );
  b.writeUInt16LE(isAscii(entry.name) ? 0 : FLAG_UTF8, at + 2);
  b.writeUInt16LE(entry.method, at + 4);
  b.writeUInt16LE(dos.time, at + 6);
  b.writeUInt16LE(dos.date, at + 8);
  b.writeUInt32LE(entry.crc, at + 10);
  b.writeUInt32LE(entry.compressedSize, at + 14);
  b.writeUInt32LE(entry.size, at + 18);
  b.writeUInt16LE(entry.name.length, at + 22);
}

export function localHeader(entry: EntryRecord, dos: DosDateTime): Buffer {
  const b = Buffer.alloc(LOCAL_HEADER_SIZE + entry.name.length);
  b.writeUInt32LE(LOCAL_HEADER, 0);
  writeSharedFields(b, entry, dos, 4);
  b.writeUInt16LE(0, 28); // extra field length: never any extra fields
  entry.name.copy(b, LOCAL_HEADER_SIZE);
  return b;
}

export function centralHeader(entry: EntryRecord, dos: DosDateTime): Buffer {
  const b = Buffer.alloc(CENTRAL_HEADER_SIZE + entry.name.length);
  b.writeUInt32LE(CENTRAL_HEADER, 0);
  b.writeUInt16LE(VERSION_MADE_BY, 4);
  writeSharedFields(b, entry, dos, 6);
  b.writeUInt16LE(0, 30); // extra field length
  b.writeUInt16LE(0, 32); // comment length
  b.writeUInt16LE(0, 34); // disk number start
  b.writeUInt16LE(0, 36); // internal attributes
  b.writeUInt32LE(entry.externalAttributes, 38);
  b.writeUInt32LE(entry.offset, 42);
  entry.name.copy(b, CENTRAL_HEADER_SIZE);
  return b;
}

export interface CentralDirectory {
  entries: number;
  size: number;
  offset: number;
}

/**
 * The end records. Per-entry fields never need ZIP64 (the writer refuses zips over 4 GiB; Lambda
 * allows 250 MB unzipped), but a package with 65535+ files is plausible (big node_modules), so the
 * entry count gets a ZIP64 end record plus locator and the classic record says 0xffff.
 */
export function endOfCentralDirectory(cd: CentralDirectory): Buffer {
  const zip64 = cd.entries > MAX_UINT16 || cd.size > MAX_UINT32 || cd.offset > MAX_UINT32;
  const parts: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(ZIP64_END_OF_CENTRAL_DIRECTORY, 0);
    record.writeBigUInt64LE(44n, 4); // size of the rest of this record
    record.writeUInt16LE(VERSION_MADE_BY_ZIP64, 12);
    record.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
    record.writeUInt32LE(0, 16); // this disk
    record.writeUInt32LE(0, 20); // disk with the central directory
    record.writeBigUInt64LE(BigInt(cd.entries), 24);
    record.writeBigUInt64LE(BigInt(cd.entries), 32);
    record.writeBigUInt64LE(BigInt(cd.size), 40);
    record.writeBigUInt64LE(BigInt(cd.offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(ZIP64_END_LOCATOR, 0);
    locator.writeUInt32LE(0, 4);
    locator.writeBigUInt64LE(BigInt(cd.offset + cd.size), 8); // where the ZIP64 end record starts
    locator.writeUInt32LE(1, 16); // total disks
    parts.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(Math.min(cd.entries, 0xffff), 8);
  end.writeUInt16LE(Math.min(cd.entries, 0xffff), 10);
  end.writeUInt32LE(Math.min(cd.size, 0xffffffff), 12);
  end.writeUInt32LE(Math.min(cd.offset, 0xffffffff), 16);
  end.writeUInt16LE(0, 20); // comment length
  parts.push(end);
  return Buffer.concat(parts);
}
