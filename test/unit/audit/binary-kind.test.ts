/** Magic detection on real binaries from real toolchains, and on real files that are not binaries. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../../src/audit/byte-source.js';
import { describeBinary, identifyBinary } from '../../../src/audit/binary-kind.js';
import {
  buildElf32,
  buildHost,
  buildMachO,
  buildPe,
  elf32Gate,
  hostGate,
  machOGate,
  peGate,
} from './binaries.js';
import { skipNote } from '../../support/gates.js';
import { auditFixtures } from './toolchain.js';

const identify = (path: string) => identifyBinary(bufferSource(readFileSync(path)));

describe.skipIf(hostGate.skipReason)(`ELF${skipNote(hostGate)}`, () => {
  it('recognises shared objects and executables', async () => {
    const host = buildHost();
    expect(await identify(host.statx)).toEqual({ format: 'elf' });
    expect(await identify(host.main)).toEqual({ format: 'elf' });
  });
});

describe.skipIf(elf32Gate.skipReason)(`32-bit ELF${skipNote(elf32Gate)}`, () => {
  it('recognises an i386 shared object as ELF', async () => {
    expect(await identify(buildElf32())).toEqual({ format: 'elf' });
  });
});

describe.skipIf(machOGate.skipReason)(`Mach-O${skipNote(machOGate)}`, () => {
  it('recognises thin, bundle, object and universal files', async () => {
    const m = buildMachO();
    expect(await identify(m.x86_64)).toEqual({
      format: 'mach-o',
      universal: false,
      bits: 64,
      cpus: ['x86_64'],
      fileType: 'dynamic library',
    });
    expect(await identify(m.arm64)).toEqual({
      format: 'mach-o',
      universal: false,
      bits: 64,
      cpus: ['arm64'],
      fileType: 'dynamic library',
    });
    expect(await identify(m.bundle)).toMatchObject({
      format: 'mach-o',
      cpus: ['arm64'],
      fileType: 'bundle',
    });
    expect(await identify(m.object)).toMatchObject({
      format: 'mach-o',
      cpus: ['x86_64'],
      fileType: 'object',
    });
    const fat = await identify(m.universal);
    expect(fat).toEqual({
      format: 'mach-o',
      universal: true,
      bits: undefined,
      cpus: ['x86_64', 'arm64'],
      fileType: undefined,
    });
    expect(describeBinary(fat!)).toBe('Mach-O universal x86_64 + arm64');
  });
});

describe.skipIf(peGate.skipReason)(`PE${skipNote(peGate)}`, () => {
  it('recognises a DLL and an executable', async () => {
    const pe = buildPe();
    const dll = await identify(pe.dll);
    expect(dll).toEqual({ format: 'pe', machine: 'x86-64', dll: true, bits: 64 });
    expect(describeBinary(dll!)).toBe('PE32+ x86-64 DLL');
    expect(await identify(pe.exe)).toEqual({
      format: 'pe',
      machine: 'x86-64',
      dll: false,
      bits: 64,
    });
  });
});

describe('files that are not binaries', () => {
  it('leaves text, sources and empty files alone', async () => {
    for (const name of readdirSync(auditFixtures))
      expect(await identify(join(auditFixtures, name)), name).toBeUndefined();
    expect(await identifyBinary(bufferSource(Buffer.alloc(0)))).toBeUndefined();
    // Text that happens to start with the DOS magic letters.
    expect(
      await identifyBinary(
        bufferSource(
          Buffer.from('MZ is a prefix of this sentence, and nothing more than that at all.\n'),
        ),
      ),
    ).toBeUndefined();
  });
});
