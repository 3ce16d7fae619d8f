// The builds bench/package times for a project: a full build (no cache), a code-only change (one
// source file edited; it must hit the dependency cache), the same code-only change with the zip
// entry and audit facts caches emptied first (what every code-only build cost before incremental
// zips: all entries deflated and audited again), and the naive baseline: a shell script in the same
// build image with the project bind-mounted at /src, as people write it.
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
 *   fullRuns?: number,
 *   edit?: string,
 * }} setup `script` writes /src/naive.zip; `mounts` are extra `-v` values; `edit` is the source
 *   file a code-only change appends to (app.py); `fullRuns` bounds the slow full and naive builds
 */
export async function measureBuilds({
  dir,
  docker,
  image,
  script,
  mounts = [],
  runs,
  fullRuns = runs,
  edit = 'app.py',
}) {
  const options = { docker, imageSource: /** @type {const} */ ('offline') };
  const comment = edit.endsWith('.py') ? '#' : '//';
  const full = [];
  const codeOnly = [];
  const codeOnlyCold = [];
  const naive = [];
  /** @type {import('../../dist/package/report.js').PackageReport | undefined} */
  let last;
  /** @type {import('../../dist/package/report.js').PackageReport | undefined} */
  let lastCodeOnly;
  const codeOnlyBuild = async (/** @type {string} */ mark) => {
    appendFileSync(join(dir, edit), `\n${comment} edit ${mark}\n`);
    const t = performance.now();
    const hit = await packageProject(loadProject(dir), options);
    const ms = performance.now() - t;
    if (hit.cache !== 'hit') throw new Error('expected a cache hit for a code-only change');
    return { ms, report: hit };
  };
  for (let i = 0; i < Math.max(runs, fullRuns); i++) {
    if (i < fullRuns) {
      const t = performance.now();
      last = await packageProject(loadProject(dir), { ...options, noCache: true });
      full.push(performance.now() - t);

      rmSync(join(dir, 'naive.zip'), { force: true });
      const n = performance.now();
      const volumes = [`${dir}:/src`, ...mounts].flatMap((mount) => ['-v', mount]);
      await execa('docker', ['run', '--rm', ...volumes, image, 'sh', '-c', script]);
      naive.push(performance.now() - n);
    }
    const warm = await codeOnlyBuild(`${i}`);
    codeOnly.push(warm.ms);
    lastCodeOnly = warm.report;
    for (const cache of ['zip-entries', 'audit-facts'])
      rmSync(join(dir, '.lbuild', 'cache', cache), { recursive: true, force: true });
    codeOnlyCold.push((await codeOnlyBuild(`${i} cold`)).ms);
  }
  if (!last || !lastCodeOnly) throw new Error('no runs');
  return { full, codeOnly, codeOnlyCold, naive, last, lastCodeOnly };
}
