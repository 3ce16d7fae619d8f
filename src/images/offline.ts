/**
 * Offline stand-in images for machines with no container registry: a Debian 12 root file system
 * bootstrapped from the machine's apt mirror and imported into the engine, then the language
 * toolchains installed on top with ordinary Dockerfiles. Debian 12 ships Python 3.11 and Node.js 18,
 * so these stand in for python3.11 and nodejs18.x (with glibc 2.36, newer than Lambda's).
 */
import type Docker from 'dockerode';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { buildImage, imageId } from '../docker/images.js';
import { followProgress } from '../docker/stream.js';
import { EnvironmentError } from '../errors.js';
import type { Reporter } from '../log.js';
import { imagesDir } from '../paths.js';
import { debianArch, dockerPlatform, runtimes, type Architecture } from '../runtimes/catalog.js';
import { offlineBaseImage, offlineImage } from '../runtimes/images.js';
import { findAptMirror } from './apt-mirror.js';
import { ensureBuildImage } from './build-image.js';

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LBUILD_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lbuild');
}

interface StandIn {
  dockerfile: string;
  tag: (arch: Architecture) => string;
}

const standIns: StandIn[] = [
  { dockerfile: 'python-build.Dockerfile', tag: (a) => offlineImage('python', 'build', a) },
  { dockerfile: 'python-run.Dockerfile', tag: (a) => offlineImage('python', 'run', a) },
  { dockerfile: 'node-build.Dockerfile', tag: (a) => offlineImage('node', 'build', a) },
  { dockerfile: 'node-run.Dockerfile', tag: (a) => offlineImage('node', 'run', a) },
  { dockerfile: 'postgres.Dockerfile', tag: (a) => offlineImage('postgres', 'db', a) },
];

export interface OfflineBuildResult {
  built: string[];
  present: string[];
}

async function bootstrapRootfs(arch: Architecture, reporter: Reporter): Promise<string> {
  const target = join(cacheDir(), `rootfs-bookworm-${arch}`);
  if (existsSync(join(target, 'etc', 'debian_version'))) return target;
  const which = await execa('sh', ['-c', 'command -v debootstrap'], { reject: false });
  if (which.exitCode !== 0) {
    throw new EnvironmentError('debootstrap is not installed, so the offline base image cannot be created', {
      hint: 'Install it with `apt-get install -y debootstrap` (Debian/Ubuntu), or pull the official images where a registry is reachable.',
    });
  }
  const mirror = process.env.LBUILD_APT_MIRROR ?? findAptMirror();
  const partial = `${target}.partial-${process.pid}`;
  await mkdir(cacheDir(), { recursive: true });
  const done = reporter.stage('debootstrap', `Debian bookworm ${debianArch(arch)} from ${mirror}`);
  try {
    const run = execa('debootstrap', ['--variant=minbase', '--include=ca-certificates', `--arch=${debianArch(arch)}`, 'bookworm', partial, mirror], { all: true });
    run.all?.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach((l) => reporter.toolOutput(l)));
    await run;
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    const tail = ((error as { all?: string }).all ?? '').split('\n').slice(-15).join('\n');
    throw new EnvironmentError(`debootstrap failed for ${debianArch(arch)}:\n${tail}`, {
      hint: arch === 'arm64' ? 'arm64 needs QEMU: apt-get install qemu-user-static and register binfmt (see `lbuild doctor`).' : 'Check that the apt mirror is reachable (apt-get update).',
    });
  }
  done();
  return target;
}

async function importRootfs(docker: Docker, rootfs: string, arch: Architecture, tag: string): Promise<void> {
  if (arch !== 'x86_64') return buildFromScratch(docker, rootfs, arch, tag);
  const tar = execa('tar', ['-C', rootfs, '--numeric-owner', '-c', '.'], { buffer: false });
  const [repo, version] = tag.split(':');
  const stream = await docker.importImage(tar.stdout as never, { repo, tag: version, changes: ['CMD ["/bin/bash"]'] } as never);
  await followProgress(stream as never);
  await tar;
}

/**
 * Engine 20.10's import labels every image with the engine's own architecture, whatever the
 * platform asked for, and later `FROM` lines for linux/arm64 would then not find it. A
 * `FROM scratch` + `ADD rootfs.tar /` build records the architecture we ask for.
 */
async function buildFromScratch(docker: Docker, rootfs: string, arch: Architecture, tag: string): Promise<void> {
  const context = await mkdtemp(join(cacheDir(), 'scratch-'));
  try {
    await execa('tar', ['-C', rootfs, '--numeric-owner', '-cf', join(context, 'rootfs.tar'), '.']);
    await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nADD rootfs.tar /\nCMD ["/bin/bash"]\n');
    await buildImage(docker, { context, dockerfile: 'Dockerfile', tag, platform: dockerPlatform(arch) });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

export async function buildOfflineImages(
  docker: Docker,
  arch: Architecture,
  reporter: Reporter,
  options: { force?: boolean } = {},
): Promise<OfflineBuildResult> {
  const result: OfflineBuildResult = { built: [], present: [] };
  const baseTag = offlineBaseImage(arch);
  if (options.force || !(await imageId(docker, baseTag))) {
    const rootfs = await bootstrapRootfs(arch, reporter);
    const done = reporter.stage('import', baseTag);
    await importRootfs(docker, rootfs, arch, baseTag);
    done();
    result.built.push(baseTag);
  } else result.present.push(baseTag);

  for (const standIn of standIns) {
    const tag = standIn.tag(arch);
    if (!options.force && (await imageId(docker, tag))) {
      result.present.push(tag);
      continue;
    }
    const done = reporter.stage('image', tag);
    await buildImage(docker, {
      context: join(imagesDir, 'offline'),
      dockerfile: standIn.dockerfile,
      tag,
      buildArgs: { BASE: baseTag },
      platform: dockerPlatform(arch),
      onLine: (line) => reporter.toolOutput(line),
    });
    done();
    result.built.push(tag);
  }

  // lbuild's own build images on top of the stand-ins, so the first `lbuild package` starts at once.
  for (const runtime of runtimes.filter((r) => r.offline)) {
    const ref = await ensureBuildImage(docker, runtime, arch, 'offline', reporter, { rebuild: options.force ?? false });
    result.present.push(ref.tag);
  }
  return result;
}
