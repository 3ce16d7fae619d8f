/** Read a zip with Python's zipfile (an independent implementation) to check what we wrote. */
import { execa } from 'execa';

export interface ZipListing {
  name: string;
  size: number;
  mode: number;
  dateTime: number[];
  extra: number;
}

const script = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps([{"name": i.filename, "size": i.file_size, "mode": i.external_attr >> 16,
                       "dateTime": list(i.date_time), "extra": len(i.extra)} for i in z.infolist()]))
`;

export async function listZip(path: string): Promise<ZipListing[]> {
  const { stdout } = await execa('python3', ['-c', script, path]);
  return JSON.parse(stdout) as ZipListing[];
}

export async function readZipEntry(path: string, name: string): Promise<Buffer> {
  const { stdout } = await execa('python3', [
    '-c',
    'import sys,zipfile,base64; print(base64.b64encode(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2])).decode())',
    path,
    name,
  ]);
  return Buffer.from(stdout, 'base64');
}

/** ELF header facts: class (64-bit?) and e_machine (62 = x86-64, 183 = aarch64). */
export function elfMachine(bytes: Buffer): { elf: boolean; machine: number } {
  const elf = bytes.length > 20 && bytes.readUInt32BE(0) === 0x7f454c46;
  return { elf, machine: elf ? bytes.readUInt16LE(18) : -1 };
}

/** Re-pack a zip as a tar rooted at `prefix` (for putArchive into a run image without unzip). */
export async function zipToTar(path: string, prefix: string): Promise<Buffer> {
  const convert = `
import io, sys, tarfile, zipfile
out = tarfile.open(fileobj=sys.stdout.buffer, mode="w|")
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        data = z.read(info)
        t = tarfile.TarInfo(sys.argv[2] + "/" + info.filename)
        t.size = len(data)
        t.mode = (info.external_attr >> 16) & 0o777 or 0o644
        out.addfile(t, io.BytesIO(data))
out.close()
`;
  const { stdout } = await execa('python3', ['-c', convert, path, prefix], { encoding: 'buffer' });
  return Buffer.from(stdout);
}
