/**
 * Library bundling in the build container, right after the install and in the same container
 * (where the installed tree and the system libraries it was built against are): scan the tree
 * with ldd, plan on the host, copy the planned libraries into <tree>/lib/ under their sonames
 * (the name the loader looks for; links followed, so lib/ holds real files). Lambda puts
 * /var/task/lib (and a layer's /opt/lib) on LD_LIBRARY_PATH.
 */
import { createHash } from 'node:crypto';
import type { WorkContainer } from '../../docker/container.js';
import { BuildError } from '../../errors.js';
import type { Reporter } from '../../log.js';
import { tarBuffer } from '../tar-files.js';
import { planBundle, type BundlePlan } from './bundle-plan.js';
import { parseLddListing } from './ldd-listing.js';
import { scanScript } from './scan-script.js';

const scriptPath = '/var/lbuild/scan-libraries.sh';

/** Where bundled libraries go in the installed tree, and so in the zip (or the layer). */
export const libraryDir = 'lib';

/** Copies each <source> <name> pair into <dest>, refusing to replace anything already there. */
const copyScript = `set -u
dest=$1
shift
if [ -e "$dest" ] && [ ! -d "$dest" ]; then echo "$dest exists and is not a folder" >&2; exit 3; fi
mkdir -p "$dest" || exit $?
while [ $# -ge 2 ]; do
  if [ ! -e "$dest/$2" ]; then cp -L "$1" "$dest/$2" || exit $?; fi
  shift 2
done`;

/** Hash of what runs in the container, for the cache key. */
export function bundleScriptsSha256(): string {
  return createHash('sha256').update(scanScript).update(copyScript).digest('hex');
}

export async function bundleLibraries(
  container: WorkContainer,
  request: { treeRoot: string; neverBundled: (soname: string) => boolean; reporter: Reporter },
): Promise<BundlePlan> {
  await container.putArchive(
    await tarBuffer([
      { name: scriptPath.slice(1), content: Buffer.from(scanScript), executable: true },
    ]),
    '/',
  );
  const scan = await container.exec(['sh', scriptPath, request.treeRoot]);
  if (scan.exitCode !== 0)
    throw new BuildError(
      `could not list the shared libraries of the installed dependencies (exit ${scan.exitCode}): ${lastLines(scan.output)}`,
      {
        hint: 'The build image needs sh, find, od and ldd (glibc). Turn bundling off with "package": { "bundleLibraries": false } or --no-bundle-libraries.',
      },
    );
  const plan = planBundle(parseLddListing(scan.output), request);
  if (plan.bundle.length === 0) return plan;
  request.reporter.info(
    `  bundling ${plan.bundle.length} shared ${plan.bundle.length === 1 ? 'library' : 'libraries'} into ${libraryDir}/: ${plan.bundle.map((l) => l.soname).join(', ')}`,
  );
  const copy = await container.exec([
    'sh',
    '-c',
    copyScript,
    'sh',
    `${request.treeRoot}/${libraryDir}`,
    ...plan.bundle.flatMap((library) => [library.source, library.soname]),
  ]);
  if (copy.exitCode !== 0)
    throw new BuildError(
      `could not copy the shared libraries into ${libraryDir}/ (exit ${copy.exitCode}): ${lastLines(copy.output)}`,
      {
        hint: `A dependency installs something at ${libraryDir}/ that is not a folder; turn bundling off with "package": { "bundleLibraries": false } or --no-bundle-libraries.`,
      },
    );
  return plan;
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-5).join(' | ');
}
