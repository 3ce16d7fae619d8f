/**
 * The Debian base image of each release the stand-ins start from: a root file system bootstrapped
 * from the machine's apt mirror (debootstrap, cached) and imported into the engine.
 */
import type Docker from 'dockerode';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage, imageId } from '../docker/images.js';
import { followProgress } from '../docker/stream.js';
import { EnvironmentError } from '../errors.js';
import type { Reporter } from '../log.js';
import {
  debianArch,
  dockerPlatform,
  type Architecture,
  type DebianRelease,
} from '../runtimes/catalog.js';
import { offlineBaseImage } from '../runtimes/images.js';
import { findAptMirror } from './apt-mirror.js';
import { cacheDir } from './cache-dir.js';
import type { OfflineBuildResult } from './offline.js';

/** debootstrap knows releases up to its own; later ones (forky) use the rolling "sid" script. */
function debootstrapScript(debian: DebianRelease): string[] {
  return debian === 'forky' ? ['/usr/share/debootstrap/scripts/sid'] : [];
}

async function bootstrapRootfs(
  debian: DebianRelease,
  arch: Architecture,
  reporter: Reporter,
): Promise<string> {
  const target = join(cacheDir(), `rootfs-${debian}-${arch}`);
  if (existsSync(join(target, 'etc', 'debian_version'))) return target;
  const which = await execa('sh', ['-c', 'command -v debootstrap'], { reject: false });
  if (which.exitCode !== 0) {
    throw new EnvironmentError(
      'debootstrap is not installed, so the offline base image cannot be created',
      {
        hint: 'Install it with `apt-get install -y debootstrap` (Debian/Ubuntu), or pull the official images where a registry is reachable.',
      },
    );
  }
  const mirror = process.env.LBUILD_APT_MIRROR ?? findAptMirror();
  const partial = `${target}.partial-${process.pid}`;
  await mkdir(cacheDir(), { recursive: true });
  const done = reporter.stage('debootstrap', `Debian ${debian} ${debianArch(arch)} from ${mirror}`);
  try {
    const args = [
      '--variant=minbase',
      '--include=ca-certificates',
      `--arch=${debianArch(arch)}`,
      debian,
      partial,
      mirror,
      ...debootstrapScript(debian),
    ];
    const run = execa('debootstrap', args, { all: true });
    run.all?.on('data', (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((l) => reporter.toolOutput(l)),
    );
    await run;
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    const tail = ((error as { all?: string }).all ?? '').split('\n').slice(-15).join('\n');
    throw new EnvironmentError(
      `debootstrap of Debian ${debian} failed for ${debianArch(arch)}:\n${tail}`,
      {
        hint:
          arch === 'arm64'
            ? 'arm64 needs QEMU: apt-get install qemu-user-static and register binfmt (see `lbuild doctor`).'
            : 'Check that the apt mirror is reachable (apt-get update).',
      },
    );
  }
  done();
  return target;
}

/**
 * A testing release's Release file expires within weeks, and a mirror that is not refreshed daily
 * then makes `apt-get update` refuse it. The stand-ins only need the packages, not freshness.
 */
async function allowStaleReleaseFiles(rootfs: string): Promise<void> {
  await writeFile(
    join(rootfs, 'etc/apt/apt.conf.d/99lbuild-stale-release'),
    'Acquire::Check-Valid-Until "false";\n',
  );
}

async function importRootfs(
  docker: Docker,
  rootfs: string,
  arch: Architecture,
  tag: string,
): Promise<void> {
  await allowStaleReleaseFiles(rootfs);
  if (arch !== 'x86_64') return buildFromScratch(docker, rootfs, arch, tag);
  const tar = execa('tar', ['-C', rootfs, '--numeric-owner', '-c', '.'], { buffer: false });
  const [repo, version] = tag.split(':');
  const stream = await docker.importImage(
    tar.stdout as never,
    { repo, tag: version, changes: ['CMD ["/bin/bash"]'] } as never,
  );
  await followProgress(stream as never);
  await tar;
}

/**
 * Engine 20.10's import labels every image with the engine's own architecture, whatever the
 * platform asked for, and later `FROM` lines for linux/arm64 would then not find it. A
 * `FROM scratch` + `ADD rootfs.tar /` build records the architecture we ask for.
 */
async function buildFromScratch(
  docker: Docker,
  rootfs: string,
  arch: Architecture,
  tag: string,
): Promise<void> {
  const context = await mkdtemp(join(cacheDir(), 'scratch-'));
  try {
    await execa('tar', ['-C', rootfs, '--numeric-owner', '-cf', join(context, 'rootfs.tar'), '.']);
    await writeFile(
      join(context, 'Dockerfile'),
      'FROM scratch\nADD rootfs.tar /\nCMD ["/bin/bash"]\n',
    );
    await buildImage(docker, {
      context,
      dockerfile: 'Dockerfile',
      tag,
      platform: dockerPlatform(arch),
    });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** The Debian base image of one release, bootstrapped and imported unless the engine has it. */
export async function ensureBase(
  docker: Docker,
  debian: DebianRelease,
  arch: Architecture,
  reporter: Reporter,
  result: OfflineBuildResult,
  force: boolean,
): Promise<void> {
  const tag = offlineBaseImage(debian, arch);
  if (!force && (await imageId(docker, tag))) {
    result.present.push(tag);
    return;
  }
  const rootfs = await bootstrapRootfs(debian, arch, reporter);
  const done = reporter.stage('import', tag);
  await importRootfs(docker, rootfs, arch, tag);
  done();
  result.built.push(tag);
}
