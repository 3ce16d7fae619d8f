/**
 * `lbuild doctor`: check what lbuild needs from this machine and say how to fix each problem.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { connectEngine } from './docker/engine.js';
import { runtimeApiPlacement } from './emulator/workers/bridge-address.js';
import { imageId } from './docker/images.js';
import { runtimes } from './runtimes/catalog.js';
import { imageSourceFromEnv, lbuildBuildImage, offlineImage } from './runtimes/images.js';

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
    checks.push({ name: 'docker engine', ok: true, detail: `${engine.info.serverVersion} at ${engine.info.endpoint}, API ${engine.info.apiVersion}, ${engine.info.os}/${engine.info.arch}` });
  } catch (error) {
    checks.push({ name: 'docker engine', ok: false, detail: (error as Error).message, fix: (error as { hint?: string }).hint ?? 'Start a Docker engine.' });
  }

  const v2 = await execa('docker', ['compose', 'version', '--short'], { reject: false });
  const v1 = v2.exitCode === 0 ? undefined : await execa('docker-compose', ['version', '--short'], { reject: false });
  checks.push(
    v2.exitCode === 0
      ? { name: 'compose', ok: true, detail: `docker compose ${v2.stdout.trim()} (v2)` }
      : v1?.exitCode === 0
        ? { name: 'compose', ok: true, detail: `docker-compose ${v1.stdout.trim()} (v1 fallback)` }
        : { name: 'compose', ok: false, detail: 'neither `docker compose` nor `docker-compose` answers', fix: 'Install the Compose plugin (apt-get install docker-compose-plugin, or docker-compose).' },
  );

  const qemu = existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64');
  checks.push(
    qemu || process.arch === 'arm64'
      ? { name: 'arm64 builds', ok: true, detail: process.arch === 'arm64' ? 'native arm64 host' : 'qemu-aarch64 is registered with binfmt_misc' }
      : {
          name: 'arm64 builds',
          ok: false,
          detail: 'qemu-aarch64 is not registered, so --arch arm64 cannot run here',
          fix: 'apt-get install -y qemu-user-static; mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc (if needed); cat /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register',
        },
  );

  const disk = await statfs(process.cwd());
  const freeGb = (disk.bavail * disk.bsize) / 1024 ** 3;
  checks.push({ name: 'disk', ok: freeGb > 5, detail: `${freeGb.toFixed(1)} GB free here`, ...(freeGb > 5 ? {} : { fix: 'Free space: `docker system prune` removes unused images and build cache.' }) });

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
        : { name: 'worker network', ok: false, detail: 'the bridge network could not be inspected', fix: 'Check that the engine has its default bridge network (`docker network inspect bridge`).' },
    );

    const source = imageSourceFromEnv();
    const wanted =
      source === 'offline'
        ? [...runtimes.filter((r) => r.offline).map((r) => lbuildBuildImage(r, 'x86_64', 'offline')), offlineImage('python', 'run', 'x86_64'), offlineImage('node', 'run', 'x86_64'), offlineImage('postgres', 'db', 'x86_64')]
        : [];
    const missing = [];
    for (const tag of wanted) if (!(await imageId(docker, tag))) missing.push(tag);
    checks.push(
      source === 'aws'
        ? { name: 'images', ok: true, detail: 'official AWS images, pulled on first use (set LBUILD_IMAGE_SOURCE=offline where no registry is reachable)' }
        : missing.length === 0
          ? { name: 'images', ok: true, detail: `offline stand-ins present (${wanted.length})` }
          : { name: 'images', ok: false, detail: `missing: ${missing.join(', ')}`, fix: 'lbuild images build --offline' },
    );
  }
  return checks;
}
