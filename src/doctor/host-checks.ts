/**
 * What `lbuild doctor` checks on this machine itself, engine or not: the Compose CLI, QEMU for
 * arm64 builds and free disk space.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import type { Check } from './check.js';

/** `docker compose` (v2), else the `docker-compose` (v1) fallback that lbuild also drives. */
export async function composeCheck(): Promise<Check> {
  const v2 = await execa('docker', ['compose', 'version', '--short'], { reject: false });
  const v1 =
    v2.exitCode === 0
      ? undefined
      : await execa('docker-compose', ['version', '--short'], { reject: false });
  return v2.exitCode === 0
    ? { name: 'compose', ok: true, detail: `docker compose ${v2.stdout.trim()} (v2)` }
    : v1?.exitCode === 0
      ? { name: 'compose', ok: true, detail: `docker-compose ${v1.stdout.trim()} (v1 fallback)` }
      : {
          name: 'compose',
          ok: false,
          detail: 'neither `docker compose` nor `docker-compose` answers',
          fix: 'Install the Compose plugin (apt-get install docker-compose-plugin, or docker-compose).',
        };
}

export function arm64Check(): Check {
  const qemu = existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64');
  return qemu || process.arch === 'arm64'
    ? {
        name: 'arm64 builds',
        ok: true,
        detail:
          process.arch === 'arm64'
            ? 'native arm64 host'
            : 'qemu-aarch64 is registered with binfmt_misc',
      }
    : {
        name: 'arm64 builds',
        ok: false,
        detail: 'qemu-aarch64 is not registered, so --arch arm64 cannot run here',
        fix: 'apt-get install -y qemu-user-static; mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc (if needed); cat /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register',
      };
}

export async function diskCheck(): Promise<Check> {
  const disk = await statfs(process.cwd());
  const freeGb = (disk.bavail * disk.bsize) / 1024 ** 3;
  return {
    name: 'disk',
    ok: freeGb > 5,
    detail: `${freeGb.toFixed(1)} GB free here`,
    ...(freeGb > 5
      ? {}
      : { fix: 'Free space: `docker system prune` removes unused images and build cache.' }),
  };
}
