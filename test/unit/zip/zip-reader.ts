/**
 * A deliberately independent ZIP reader for the tests: it parses what the writer produced field by
 * field, so the assertions check the bytes on disk rather than the writer's own idea of them.
 */
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';

export interface ParsedEntry {
  name: string;
  versionMadeBy: number;
  versionNeeded: number;
  flags: number;
  method: number;
  dosTime: number;
  dosDate: number;
  crc: number;
  compressedSize: number;
  size: number;
  centralExtraLength: number;
  localExtraLength: number;
  commentLength: number;
  externalAttributes: number;
  offset: number;
  /** the local header repeats the central one for these fields */
  localMatchesCentral: boolean;
  content: Buffer;
}

export interface ParsedZip {
  entries: ParsedEntry[];
  entryCount: number;
  zip64: boolean;
}

export function readZip(file: string): ParsedZip {
  const zip = readFileSync(file);
  let end = -1;
  for (let i = zip.length - 22; i >= 0; i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('no end of central directory record');
  let count = zip.readUInt16LE(end + 10);
  let cdSize = zip.readUInt32LE(end + 12);
  let cdOffset = zip.readUInt32LE(end + 16);
  let zip64 = false;
  if (end >= 20 && zip.readUInt32LE(end - 20) === 0x07064b50) {
    zip64 = true;
    const recordAt = Number(zip.readBigUInt64LE(end - 20 + 8));
    if (zip.readUInt32LE(recordAt) !== 0x06064b50) throw new Error('bad zip64 end record');
    count = Number(zip.readBigUInt64LE(recordAt + 32));
    cdSize = Number(zip.readBigUInt64LE(recordAt + 40));
    cdOffset = Number(zip.readBigUInt64LE(recordAt + 48));
  }
  const entries: ParsedEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central header at ${p}`);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const entry = {
      versionMadeBy: zip.readUInt16LE(p + 4),
      versionNeeded: zip.readUInt16LE(p + 6),
      flags: zip.readUInt16LE(p + 8),
      method: zip.readUInt16LE(p + 10),
      dosTime: zip.readUInt16LE(p + 12),
      dosDate: zip.readUInt16LE(p + 14),
      crc: zip.readUInt32LE(p + 16),
      compressedSize: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      externalAttributes: zip.readUInt32LE(p + 38),
      offset: zip.readUInt32LE(p + 42),
      name: zip.subarray(p + 46, p + 46 + nameLength).toString('utf8'),
      centralExtraLength: extraLength,
      commentLength,
    };
    p += 46 + nameLength + extraLength + commentLength;

    const l = entry.offset;
    if (zip.readUInt32LE(l) !== 0x04034b50) throw new Error(`bad local header for ${entry.name}`);
    const localNameLength = zip.readUInt16LE(l + 26);
    const localExtraLength = zip.readUInt16LE(l + 28);
    const localMatchesCentral =
      zip.readUInt16LE(l + 4) === entry.versionNeeded &&
      zip.readUInt16LE(l + 6) === entry.flags &&
      zip.readUInt16LE(l + 8) === entry.method &&
      zip.readUInt16LE(l + 10) === entry.dosTime &&
      zip.readUInt16LE(l + 12) === entry.dosDate &&
      zip.readUInt32LE(l + 14) === entry.crc &&
      zip.readUInt32LE(l + 18) === entry.compressedSize &&
      zip.readUInt32LE(l + 22) === entry.size &&
      zip.subarray(l + 30, l + 30 + localNameLength).toString('utf8') === entry.name;
    const dataStart = l + 30 + localNameLength + localExtraLength;
    const raw = zip.subarray(dataStart, dataStart + entry.compressedSize);
    const content = entry.method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
    entries.push({ ...entry, localExtraLength, localMatchesCentral, content });
  }
  if (p !== cdOffset + cdSize) throw new Error('central directory size mismatch');
  return { entries, entryCount: count, zip64 };
}

/** DOS date/time fields for a UTC date, computed independently of the writer. */
export function expectedDos(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
) {
  return {
    dosDate: ((year - 1980) << 9) | (month << 5) | day,
    dosTime: (hour << 11) | (minute << 5) | Math.floor(second / 2),
  };
}
