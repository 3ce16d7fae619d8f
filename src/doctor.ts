/**
 * `lbuild doctor`: check what lbuild needs from this machine and say how to fix each problem.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { connectEngine } from './docker/engine.js';
import { runtimeApiPlacement } from './emulator/workers/container/bridge-address.js';
import { imageId } from './docker/images.js';
import type Docker from 'dockerode';
import { runtimes, type RuntimeInfo, type RuntimeStatus } from './runtimes/catalog.js';
import {
  imageSourceFromEnv,
  lbuildBuildImage,
  offlineImage,
  offlinePostgresImage,
  standInRuntimes,
} from './runtimes/images.js';
import { runtimeWarning } from './runtimes/lookup.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export async function runDoctor(): Promise<Check[]> {
  const checks: Check[] = [];
  let docker;
  try {
    const engine = await connectEngine();
    docker = engine.docker;
    checks.push({
      name: 'docker engine',
      ok: true,
      detail: `${engine.info.serverVersion} at ${engine.info.endpoint}, API ${engine.info.apiVersion}, ${engine.info.os}/${engine.info.arch}`,
    });
  } catch (error) {
    checks.push({
      name: 'docker engine',
      ok: false,
      detail: (error as Error).message,
      fix: (error as { hint?: string }).hint ?? 'Start a Docker engine.',
    });
  }

  const v2 = await execa('docker', ['compose', 'version', '--short'], { reject: false });
  const v1 =
    v2.exitCode === 0
      ? undefined
      : await execa('docker-compose', ['version', '--short'], { reject: false });
  checks.push(
    v2.exitCode === 0
      ? { name: 'compose', ok: true, detail: `docker compose ${v2.stdout.trim()} (v2)` }
      : v1?.exitCode === 0
        ? { name: 'compose', ok: true, detail: `docker-compose ${v1.stdout.trim()} (v1 fallback)` }
        : {
            name: 'compose',
            ok: false,
            detail: 'neither `docker compose` nor `docker-compose` answers',
            fix: 'Install the Compose plugin (apt-get install docker-compose-plugin, or docker-compose).',
          },
  );

  const qemu = existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64');
  checks.push(
    qemu || process.arch === 'arm64'
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
        },
  );

  const disk = await statfs(process.cwd());
  const freeGb = (disk.bavail * disk.bsize) / 1024 ** 3;
  checks.push({
    name: 'disk',
    ok: freeGb > 5,
    detail: `${freeGb.toFixed(1)} GB free here`,
    ...(freeGb > 5
      ? {}
      : { fix: 'Free space: `docker system prune` removes unused images and build cache.' }),
  });

  if (docker) {
    // How container workers will reach their Runtime API: worth knowing when they cannot.
    const placement = await runtimeApiPlacement(docker).catch(() => undefined);
    checks.push(
      placement
        ? {
            name: 'worker network',
            ok: true,
            detail: placement.localSockets
              ? `containers reach the Runtime API on ${placement.advertisedHost} (the bridge), lbuild's bootstraps over a mounted Unix socket`
              : `containers reach the Runtime API at ${placement.advertisedHost} (forwarded to 127.0.0.1); no socket mounts (the engine does not share this host's kernel)`,
          }
        : {
            name: 'worker network',
            ok: false,
            detail: 'the bridge network could not be inspected',
            fix: 'Check that the engine has its default bridge network (`docker network inspect bridge`).',
          },
    );

    const source = imageSourceFromEnv();
    if (source === 'aws') {
      checks.push({
        name: 'images',
        ok: true,
        detail:
          'official AWS images, pulled on first use (set LBUILD_IMAGE_SOURCE=offline where no registry is reachable)',
      });
    } else {
      const rows = await standInPresence(docker);
      const missing = rows.filter((r) => !r.present).map((r) => r.runtime);
      const postgres = Boolean(await imageId(docker, offlinePostgresImage('x86_64')));
      checks.push(
        missing.length === 0 && postgres
          ? {
              name: 'images',
              ok: true,
              detail: `offline stand-ins present for ${rows.map((r) => r.runtime).join(', ')} and Postgres`,
            }
          : {
              name: 'images',
              ok: false,
              detail: `offline stand-ins missing for ${[...missing, ...(postgres ? [] : ['Postgres'])].join(', ')}`,
              fix: `lbuild images build --offline${missing.length > 0 && missing.length < rows.length ? ` --runtime ${missing.join(' ')}` : ''}`,
            },
      );
    }
  }
  return checks;
}

/** Whether each stand-in runtime's build and run images are on the engine (x86_64). */
async function standInPresence(
  docker: Docker,
): Promise<Array<{ runtime: string; present: boolean }>> {
  return Promise.all(
    standInRuntimes().map(async (runtime) => {
      const tags = [
        lbuildBuildImage(runtime, 'x86_64', 'offline'),
        offlineImage(runtime, 'run', 'x86_64'),
      ];
      const ids = await Promise.all(tags.map((tag) => imageId(docker, tag)));
      return { runtime: runtime.name, present: ids.every(Boolean) };
    }),
  );
}

export interface RuntimeRow {
  name: string;
  status: RuntimeStatus;
  os: string;
  glibc: string;
  lifecycle: RuntimeInfo['lifecycle'];
  /** The offline stand-in's Debian release and glibc, if there is one. */
  standIn: string | null;
  warning: string | null;
}

/** The runtime table `lbuild doctor` prints: every runtime lbuild knows and where it stands. */
export function runtimeRows(): RuntimeRow[] {
  return runtimes.map((r) => ({
    name: r.name,
    status: r.status,
    os: r.os,
    glibc: r.glibc,
    lifecycle: r.lifecycle,
    standIn: r.standIn ? `Debian ${r.standIn.debian} (glibc ${r.standIn.glibc})` : null,
    warning: runtimeWarning(r) ?? null,
  }));
}
