/**
 * A full disk, for real: small tmpfs mounts (root only; skipped elsewhere, saying why). A zip that
 * does not fit and a dependency cache entry that does not fit each fail with an error naming the
 * folder, the disk and how much was needed; nothing half-written stays (the previous zip is
 * intact), and once there is room the same command succeeds with a whole cache entry.
 */
import { execa } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesDir } from '../../support/fixtures.js';
import { dockerGate } from '../../support/gates.js';

const gate = await dockerGate();
const cli = fileURLToPath(new URL('../../../bin/lbuild.js', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };

const mounts: string[] = [];
async function smallDisk(kilobytes: number): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-full-disk-'));
  const mounted = await execa('mount', ['-t', 'tmpfs', '-o', `size=${kilobytes}k`, 'tmpfs', dir], {
    reject: false,
  });
  if (mounted.exitCode !== 0) return undefined;
  mounts.push(dir);
  return dir;
}
const canMount = process.getuid?.() === 0 && (await smallDisk(16)) !== undefined;

afterAll(async () => {
  for (const dir of mounts) await execa('umount', [dir], { reject: false });
});

const leftovers = (folder: string) =>
  existsSync(folder) ? readdirSync(folder).filter((name) => /\.(tmp|partial)-\d+$/.test(name)) : [];

describe.skipIf(gate.skipReason ?? (canMount ? undefined : 'mounting a small tmpfs needs root'))(
  'a full disk',
  () => {
    let project: string;
    beforeAll(() => {
      project = mkdtempSync(join(tmpdir(), 'lbuild-full-disk-project-'));
      cpSync(join(fixturesDir, 'python-native'), project, { recursive: true });
      // Random bytes do not compress: the zip is at least this big.
      writeFileSync(join(project, 'blob.bin'), randomBytes(300 * 1024));
    });

    it(
      'a zip that does not fit: the error names the folder and the size; the previous zip is intact',
      { timeout: 120_000 },
      async () => {
        const disk = (await smallDisk(128))!;
        const out = join(disk, 'app.zip');
        writeFileSync(out, 'the previous zip');
        const result = await execa('node', [cli, 'package', project, '--out', out], {
          env,
          reject: false,
          all: true,
        });
        expect(result.exitCode, result.all).toBe(2);
        expect(result.all).toContain(
          `no space left in ${disk} (a 128.0 KiB disk) for the zip: it needs more than`,
        );
        expect(result.all).toContain('--out');
        expect(result.all).not.toContain('bug in lbuild');
        expect(readFileSync(out, 'utf8')).toBe('the previous zip');
        expect(leftovers(disk)).toEqual([]);
      },
    );

    it(
      'a dependency cache that does not fit: a clear error, no partial entry; with room, a whole entry',
      { timeout: 180_000 },
      async () => {
        const disk = (await smallDisk(40))!;
        const onDisk = join(disk, 'app');
        mkdirSync(onDisk);
        cpSync(join(fixturesDir, 'python-native'), onDisk, { recursive: true });
        const cache = join(onDisk, '.lbuild', 'cache', 'deps');
        const failed = await execa('node', [cli, 'package', onDisk], {
          env,
          reject: false,
          all: true,
        });
        expect(failed.exitCode, failed.all).toBe(2);
        expect(failed.all).toMatch(
          /no space left in .*\.lbuild\/cache\/deps \(a 40\.0 KiB disk\) for the installed dependencies/,
        );
        expect(failed.all).not.toContain('bug in lbuild');
        expect(leftovers(cache)).toEqual([]);
        expect(readdirSync(cache).filter((name) => name.endsWith('.tar'))).toEqual([]);

        await execa('mount', ['-o', 'remount,size=4m', disk]);
        const passed = await execa('node', [cli, 'package', onDisk, '--json'], {
          env,
          reject: false,
        });
        expect(passed.exitCode, passed.stderr).toBe(0);
        const [entry] = readdirSync(cache).filter((name) => name.endsWith('.tar'));
        expect(entry).toBeDefined();
        // Whole: tar reads it to the end.
        const listed = await execa('tar', ['-tf', join(cache, entry!)], { reject: false });
        expect(listed.exitCode, listed.stderr).toBe(0);
        expect(
          createHash('sha256')
            .update(readFileSync(join(cache, entry!)))
            .digest('hex'),
        ).toHaveLength(64);
      },
    );
  },
);
