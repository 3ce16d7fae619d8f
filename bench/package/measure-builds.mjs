// The three builds bench/package times for a project, once per run: a full build (no cache), a
// code-only change (app.py edited; it must hit the dependency cache), and the naive baseline: a
// shell script in the same build image with the project bind-mounted at /src, as people write it.
import { execa } from 'execa';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../dist/config/load.js';
import { packageProject } from '../../dist/package/package-project.js';

/**
 * @param {{
 *   dir: string,
 *   docker: import('dockerode'),
 *   image: string,
 *   script: string,
 *   mounts?: string[],
 *   runs: number,
 * }} setup `script` writes /src/naive.zip; `mounts` are extra `-v` values
 */
export async function measureBuilds({ dir, docker, image, script, mounts = [], runs }) {
  const options = { docker, imageSource: /** @type {const} */ ('offline') };
  const full = [];
  const codeOnly = [];
  const naive = [];
  /** @type {import('../../dist/package/report.js').PackageReport | undefined} */
  let last;
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    last = await packageProject(loadProject(dir), { ...options, noCache: true });
    full.push(performance.now() - t);

    appendFileSync(join(dir, 'app.py'), `\n# edit ${i}\n`);
    t = performance.now();
    const hit = await packageProject(loadProject(dir), options);
    codeOnly.push(performance.now() - t);
    if (hit.cache !== 'hit') throw new Error('expected a cache hit for a code-only change');

    rmSync(join(dir, 'naive.zip'), { force: true });
    t = performance.now();
    const volumes = [`${dir}:/src`, ...mounts].flatMap((mount) => ['-v', mount]);
    await execa('docker', ['run', '--rm', ...volumes, image, 'sh', '-c', script]);
    naive.push(performance.now() - t);
  }
  if (!last) throw new Error('no runs');
  return { full, codeOnly, naive, last };
}
