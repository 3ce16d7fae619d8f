/**
 * Reading the files of a deployment zip (to copy into a container worker exactly what Lambda would
 * unpack). Only what Lambda zips use: stored or deflated entries, no encryption, no multi-disk;
 * ZIP64 archives are refused with a clear message since Lambda's 250 MB unzipped limit keeps
 * real packages well below 4 GB.
 */
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { UserError } from '../../../errors.js';

export interface ZipEntry {
  name: string;
  content: Buffer;
  /** Unix mode from the "external attributes" when the zip was made on Unix, else undefined. */
  mode: number | undefined;
  directory: boolean;
}

const endOfCentralDirectory = 0x06054b50;
const centralHeader = 0x02014b50;
const localHeader = 0x04034b50;

function bad(file: string, why: string): UserError {
  return new UserError(`${file} is not a zip lbuild can read: ${why}`, {
    hint: 'Pass the zip produced by `lbuild package`, or the code folder instead.',
  });
}

export async function readZipEntries(file: string): Promise<ZipEntry[]> {
  const zip = await readFile(file);
  // The end record sits in the last 22 bytes plus up to 64 KB of comment.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === endOfCentralDirectory) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad(file, 'no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff)
    throw bad(file, 'ZIP64 archives are not supported');
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== centralHeader)
      throw bad(file, `corrupt central directory at entry ${n}`);
    const flags = zip.readUInt16LE(offset + 8);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const madeBy = zip.readUInt16LE(offset + 4) >> 8;
    const external = zip.readUInt32LE(offset + 38);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (flags & 0x1) throw bad(file, `${name} is encrypted`);
    if (zip.readUInt32LE(localOffset) !== localHeader)
      throw bad(file, `corrupt local header for ${name}`);
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const directory = name.endsWith('/');
    let content: Buffer;
    if (directory) content = Buffer.alloc(0);
    else if (method === 0) content = Buffer.from(raw);
    else if (method === 8) content = inflateRawSync(raw);
    else throw bad(file, `${name} uses compression method ${method}`);
    // madeBy 3 = Unix: the high 16 bits of the external attributes are st_mode.
    const mode = madeBy === 3 ? (external >>> 16) & 0o7777 : undefined;
    entries.push({ name, content, mode, directory });
  }
  return entries;
}
