/**
 * Strip debug info from shared objects inside the build container, where binutils matches the
 * target architecture (an x86-64 host's strip would mangle an aarch64 .so) and the runtime's own
 * interpreter can prove each stripped object still loads. Same no-bind-mount discipline as the
 * install: the tree goes in with putArchive and comes out with getArchive.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { WorkContainer } from '../../docker/container.js';
import { BuildError } from '../../errors.js';
import type { Reporter } from '../../log.js';
import { dockerPlatform, type Architecture, type Language } from '../../runtimes/catalog.js';
import { libraryDir } from '../libraries/bundle-libraries.js';
import { tarBuffer } from '../tar-files.js';
import type { SkippedObject, SkipReason } from './remove-files.js';
import { nodeChecker, pythonChecker, stripDriver } from './strip-scripts.js';

const workDir = '/var/lbuild';
const slimDir = `${workDir}/slim`;

export interface StripRequest {
  docker: Docker;
  /** The project's name, for the build container's name (lbuild-<project>-build-...). */
  project: string;
  image: string;
  architecture: Architecture;
  language: Language;
  /** The tar to strip, names under out/ (as the install produced them). */
  tarPath: string;
  candidates: string[];
  /** Where to write the stripped tree's tar (names under out/). */
  outPath: string;
  reporter: Reporter;
}

export interface StripResult {
  stripped: Array<{ path: string; before: number; after: number }>;
  skipped: SkippedObject[];
}

/**
 * Bundled shared libraries (lib/) are on Lambda's LD_LIBRARY_PATH, after the OS's folders: the load
 * check needs them there too, or every extension that uses one is unverifiable.
 */
const checkLibraryPath = `\${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}${workDir}/out/${libraryDir}`;

/** Hash of everything that runs in the container: a new script version must not reuse old trees. */
export function stripScriptsSha256(): string {
  return createHash('sha256')
    .update(stripDriver)
    .update(pythonChecker)
    .update(nodeChecker)
    .update(checkLibraryPath)
    .digest('hex');
}

export async function stripSharedObjects(request: StripRequest): Promise<StripResult> {
  const container = await WorkContainer.start(request.docker, {
    image: request.image,
    role: 'build',
    project: request.project,
    platform: dockerPlatform(request.architecture),
  });
  try {
    const checker = request.language === 'python' ? 'check.py' : 'check.cjs';
    // The scripts first, from /: their path creates /var/lbuild, which putArchive needs to exist.
    await container.putArchive(
      await tarBuffer(
        [
          { name: 'strip-objects.sh', content: Buffer.from(stripDriver), executable: true },
          {
            name: checker,
            content: Buffer.from(request.language === 'python' ? pythonChecker : nodeChecker),
            executable: false,
          },
          {
            name: 'candidates.txt',
            content: Buffer.from(request.candidates.map((c) => `${c}\n`).join('')),
            executable: false,
          },
        ],
        `${slimDir.slice(1)}/`,
      ),
      '/',
    );
    await container.putArchive(createReadStream(request.tarPath), workDir);
    const interpreter =
      request.language === 'python' ? '"$(command -v python3 || command -v python)"' : 'node';
    const script = `LD_LIBRARY_PATH="${checkLibraryPath}" exec sh ${slimDir}/strip-objects.sh ${workDir}/out ${slimDir}/candidates.txt ${interpreter} ${slimDir}/${checker}`;
    const result = await container.exec(['sh', '-c', script], {
      onLine: (line) => request.reporter.toolOutput(line),
    });
    if (result.exitCode !== 0) {
      throw new BuildError(
        `the strip step failed in the build container (exit ${result.exitCode}): ${result.output.trim().split('\n').slice(-5).join(' | ')}`,
        {
          hint: 'The build image needs sh, mktemp and binutils. Turn stripping off with "package": { "slim": { "strip": false } } to slim without it.',
        },
      );
    }
    await pipeline(
      await container.getArchive(`${workDir}/out`),
      createWriteStream(request.outPath),
    );
    return parseStripOutput(result.output);
  } finally {
    await container.remove();
  }
}

export function parseStripOutput(output: string): StripResult {
  const stripped: StripResult['stripped'] = [];
  const skipped: SkippedObject[] = [];
  for (const line of output.split('\n')) {
    const [kind, path, a, b] = line.split('\t');
    if (!path) continue;
    if (kind === 'stripped') stripped.push({ path, before: Number(a), after: Number(b) });
    else if (kind === 'skipped')
      skipped.push({ path, reason: a as SkipReason, ...(b ? { detail: b } : {}) });
  }
  return { stripped, skipped };
}
