/**
 * The debug layer of a Python runtime: debugpy (with the pydevd it drives) in a folder of its own,
 * prepared once per runtime, architecture and image source under lbuild's cache dir and mounted
 * read-only into debugged workers (debug-launch.ts). It never enters the zip or /var/task.
 *
 * It is taken from the runtime's build image, so its compiled parts match the runtime's Python:
 * - offline stand-ins: Debian's python3-debugpy of the stand-in's own release (bookworm 1.6.x for
 *   Python 3.11, trixie/forky 1.8.x for 3.13/3.14), unpacked from the packages in the build image;
 * - AWS's build images: `pip install --target` (needs PyPI; not reachable where lbuild is tested).
 */
import type Docker from 'dockerode';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WorkContainer } from '../docker/container.js';
import { BuildError } from '../errors.js';
import { cacheDir } from '../images/cache-dir.js';
import { readTree } from '../package/zip/tar-tree.js';
import { dockerPlatform, type Architecture, type RuntimeInfo } from '../runtimes/catalog.js';
import { baseImageFor, type ImageSource } from '../runtimes/images.js';

const outDir = '/lbuild-debug';
/** Bumped when the script below changes what a layer holds, so older layers are made again. */
const layerVersion = '2';
const completeMarker = '.lbuild-debug-layer';

/**
 * Debian: the three packages' files, unpacked rather than installed. `apt-get install` would pull
 * pydevd's dependencies (gdb, python3-coverage), which debugpy's listen mode does not use and which
 * made a first `--debug` take two minutes instead of ten seconds. Links inside the packages are
 * relative (debugpy's vendored pydevd points at the packaged one) and are followed by the copy.
 */
const aptScript = String.raw`set -e
echo "lbuild: apt-get download python3-debugpy"
apt-get update -qq
work=$(mktemp -d)
cd "$work"
apt-get download -qq python3-debugpy python3-pydevd python3-bytecode >/dev/null
for deb in ./*.deb; do dpkg-deb -x "$deb" "$work/root"; done
mkdir -p ${outDir}
cp -rL "$work/root/usr/lib/python3/dist-packages" ${outDir}/python`;

const pipScript = String.raw`set -e
echo "lbuild: pip install debugpy"
python3 -m pip install --quiet --no-cache-dir --target ${outDir}/python debugpy`;

/** Prove the copied folder alone (-S: no site-packages) gives the runtime's Python a debugpy. */
const checkScript = String.raw`python3 -S -c 'import sys; sys.path.insert(0, "${outDir}/python"); import debugpy, pydevd; print("lbuild: debugpy", debugpy.__version__, "for Python", sys.version.split()[0])'`;

export function debugLayerDir(
  runtime: RuntimeInfo,
  arch: Architecture,
  source: ImageSource,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return join(cacheDir(env), 'debug-layers', `${runtime.name}-${arch}-${source}`);
}

/** The layer's folder on this host (its python/ holds debugpy), made now if it is not cached. */
export async function ensurePythonDebugLayer(
  docker: Docker,
  runtime: RuntimeInfo,
  arch: Architecture,
  source: ImageSource,
  onLine: (line: string) => void = () => {},
): Promise<string> {
  const dir = debugLayerDir(runtime, arch, source);
  if (isComplete(dir)) return dir;
  const image = baseImageFor(runtime, 'build', arch, source);
  const container = await WorkContainer.start(docker, {
    image,
    role: 'build',
    ...(arch === 'arm64' ? { platform: dockerPlatform(arch) } : {}),
  });
  try {
    const script = `${source === 'offline' ? aptScript : pipScript}\n${checkScript}`;
    const tail: string[] = [];
    const result = await container.exec(['sh', '-c', script], {
      user: 'root',
      onLine: (line) => {
        tail.push(line);
        if (line.startsWith('lbuild: ')) onLine(line.slice('lbuild: '.length));
      },
    });
    if (result.exitCode !== 0)
      throw new BuildError(
        `could not prepare debugpy for ${runtime.name} in ${image} (exit ${result.exitCode}):\n${tail
          .slice(-15)
          .map((line) => `  ${line}`)
          .join('\n')}`,
        {
          hint:
            source === 'offline'
              ? "The build container installs Debian's python3-debugpy with apt-get: check that it reaches the Debian mirror."
              : 'The build container installs debugpy with pip: check that it reaches PyPI (or your index, through PIP_INDEX_URL).',
          details: { runtime: runtime.name, image, exitCode: result.exitCode },
        },
      );
    await writeLayer(dir, await container.getArchive(`${outDir}/python`));
  } finally {
    await container.remove().catch(() => undefined);
  }
  return dir;
}

function isComplete(dir: string): boolean {
  const marker = join(dir, completeMarker);
  return existsSync(marker) && readFileSync(marker, 'utf8').trim() === layerVersion;
}

/** Written beside the final folder and renamed into place: a half-written layer is never used. */
async function writeLayer(dir: string, tar: NodeJS.ReadableStream): Promise<void> {
  const tree = await readTree(tar as never, 'python');
  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  for (const [name, file] of tree.files) {
    const target = join(staging, 'python', name);
    await mkdir(dirname(target), { recursive: true });
    // World-readable: workers run as Lambda's uid 993.
    await writeFile(target, file.data, { mode: file.mode & 0o111 ? 0o755 : 0o644 });
  }
  await writeFile(join(staging, completeMarker), `${layerVersion}\n`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  try {
    await rename(staging, dir);
  } catch (error) {
    // Another lbuild (a second `serve --debug`) put the same layer in place first: use theirs.
    await rm(staging, { recursive: true, force: true });
    if (!isComplete(dir)) throw error;
  }
}
