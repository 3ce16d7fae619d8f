/**
 * Offline stand-in images for machines with no container registry: a Debian root file system per
 * release (bookworm, trixie, forky) bootstrapped from the machine's apt mirror and imported into
 * the engine, then each runtime's build and run image on top (offline-plan.ts says which). Only the
 * images asked for are made, independent ones in parallel, each cached by a hash of what makes it.
 */
import type Docker from 'dockerode';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { buildImage, imageId, inspectImage } from '../docker/images.js';
import { standInHashLabel as standInLabel } from '../docker/labels.js';
import { followProgress } from '../docker/stream.js';
import { EnvironmentError } from '../errors.js';
import type { Reporter } from '../log.js';
import { imagesDir } from '../paths.js';
import {
  debianArch,
  dockerPlatform,
  type Architecture,
  type DebianRelease,
  type RuntimeInfo,
} from '../runtimes/catalog.js';
import { offlineBaseImage } from '../runtimes/images.js';
import { findAptMirror } from './apt-mirror.js';
import { ensureBuildImage } from './build-image.js';
import {
  buildArgsFor,
  planStandIns,
  releasesOf,
  standInHash,
  type FetchedFile,
  type StandInImage,
} from './offline-plan.js';

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LBUILD_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lbuild');
}

const offlineContext = join(imagesDir, 'offline');
/** Image builds at once: apt downloads overlap well, compilers do not, on a 2-core machine. */
const parallelBuilds = 3;

export interface OfflineBuildResult {
  built: string[];
  present: string[];
}

export interface StandInRequest {
  runtimes: readonly RuntimeInfo[];
  arch: Architecture;
  postgres: boolean;
  force?: boolean;
}

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

async function ensureBase(
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

/**
 * `npm pack` a package into lbuild's cache (once: a cached tarball of the same major is reused, so
 * the stand-in stays the same until someone removes it). The host's npm already trusts its proxy.
 */
const fetching = new Map<string, Promise<string>>();
/** One fetch per package per process: the build and run images of nodejs22.x build in parallel. */
function fetchPackage(file: FetchedFile, reporter: Reporter): Promise<string> {
  let fetched = fetching.get(file.spec);
  if (!fetched) {
    fetched = fetchPackageOnce(file, reporter);
    fetching.set(file.spec, fetched);
    fetched.catch(() => fetching.delete(file.spec));
  }
  return fetched;
}

async function fetchPackageOnce(file: FetchedFile, reporter: Reporter): Promise<string> {
  const dir = join(cacheDir(), 'npm-packages');
  await mkdir(dir, { recursive: true });
  const [name, major] = file.spec.split('@') as [string, string];
  const cached = (await readdir(dir))
    .filter((f) => f.startsWith(`${name}-${major}.`) && f.endsWith('.tgz'))
    .sort();
  if (cached.length > 0) return join(dir, cached.at(-1)!);
  const done = reporter.stage('fetch', `${file.spec} (npm registry)`);
  const packed = await execa('npm', ['pack', file.spec, '--pack-destination', dir, '--json'], {
    reject: false,
  });
  if (packed.exitCode !== 0) {
    throw new EnvironmentError(
      `npm pack ${file.spec} failed: ${packed.stderr.split('\n').slice(-5).join('\n')}`,
      {
        hint: 'The nodejs22.x stand-in takes the official Node.js build from the npm registry: check that npm reaches it (npm ping).',
      },
    );
  }
  done();
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
  return join(dir, info!.filename);
}

/** Build one stand-in unless the engine has it with the same hash; resolves with its hash. */
async function buildStandIn(
  docker: Docker,
  image: StandInImage,
  arch: Architecture,
  fromHash: string,
  reporter: Reporter,
  force: boolean,
): Promise<{ hash: string; outcome: 'built' | 'present' }> {
  const files = new Map<string, Buffer>();
  for (const name of [image.dockerfile, ...image.extraFiles])
    files.set(name, await readFile(join(offlineContext, name)));
  const fetched: Record<string, string> = {};
  for (const file of image.fetch) fetched[file.name] = await fetchPackage(file, reporter);
  const hash = standInHash(
    image,
    files,
    Object.values(fetched).map((p) => p.split('/').at(-1)!),
    fromHash,
  );
  const existing = await inspectImage(docker, image.tag);
  if (!force && existing?.Config?.Labels?.[standInLabel] === hash)
    return { hash, outcome: 'present' };

  const done = reporter.stage('image', image.tag);
  const context = Object.fromEntries(
    [...files.keys()].map((name) => [name, join(offlineContext, name)]),
  );
  await buildImage(docker, {
    context: { ...context, ...fetched },
    dockerfile: image.dockerfile,
    tag: image.tag,
    buildArgs: buildArgsFor(image),
    platform: dockerPlatform(arch),
    labels: { [standInLabel]: hash },
    onLine: (line) => reporter.toolOutput(`${image.tag}: ${line}`),
  });
  done();
  return { hash, outcome: 'built' };
}

/** At most `limit` of the returned function's tasks run at once. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** Make sure the stand-ins of these runtimes (and Postgres, if asked) exist, building what is missing. */
export async function ensureStandIns(
  docker: Docker,
  request: StandInRequest,
  reporter: Reporter,
): Promise<OfflineBuildResult> {
  const { arch } = request;
  const force = request.force ?? false;
  const result: OfflineBuildResult = { built: [], present: [] };
  const images = planStandIns(request.runtimes, arch, { postgres: request.postgres });
  // Bootstraps are network- and disk-bound: all releases at once.
  await Promise.all(
    releasesOf(images).map((debian) => ensureBase(docker, debian, arch, reporter, result, force)),
  );
  // Each image waits for the one it starts from (when that is in the plan), then for a free slot.
  const slot = limiter(parallelBuilds);
  const hashes = new Map<string, Promise<string>>();
  for (const image of images) {
    const fromHash = hashes.get(image.from) ?? Promise.resolve('');
    hashes.set(
      image.tag,
      fromHash.then((parent) =>
        slot(async () => {
          const { hash, outcome } = await buildStandIn(
            docker,
            image,
            arch,
            parent,
            reporter,
            force,
          );
          result[outcome].push(image.tag);
          // lbuild's own build image on top, so the first `lbuild package` starts at once.
          if (image.runtime)
            result.present.push(
              (
                await ensureBuildImage(docker, image.runtime, arch, 'offline', reporter, {
                  rebuild: force,
                })
              ).tag,
            );
          return hash;
        }),
      ),
    );
  }
  // Wait for every build; the first failure is reported once the others have settled.
  const settled = await Promise.allSettled(hashes.values());
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return result;
}
