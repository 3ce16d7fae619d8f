// bench/package rows for the Python example with its real dependencies (Flask, psycopg2 and the
// libpq that lbuild bundles): full build, code-only change, and the bytes bundled, beside a naive
// `docker run` + pip + zip of the same requirements, measured in the same run. The wheels come
// from scripts/debian-wheels.mjs through a pip.conf, as scripts/dev.sh sets the example up.
import { execa } from 'execa';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../dist/config/load.js';
import { packageProject } from '../../dist/package/package-project.js';
import { ensureDebianWheels } from '../../scripts/debian-wheels.mjs';
import { median } from '../lib/median.mjs';

const example = fileURLToPath(new URL('../../examples/python-app/', import.meta.url));

/**
 * @param {import('dockerode')} docker
 * @param {string} buildImage the python3.11 build image tag the naive baseline runs
 * @param {number} runs
 */
export async function measureExample(docker, buildImage, runs) {
  const { folder } = await ensureDebianWheels('bookworm');
  // pip lets PIP_FIND_LINKS override a pip.conf's find-links; some machines set it globally.
  delete process.env.PIP_FIND_LINKS;
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-bench-example-'));
  cpSync(example, dir, { recursive: true });
  writeFileSync(join(dir, 'pip.conf'), `[global]\nno-index = true\nfind-links = ${folder}\n`);
  writeFileSync(join(dir, '.lbuildignore'), 'naive.zip\n');
  const options = { docker, imageSource: /** @type {const} */ ('offline') };
  const full = [];
  const codeOnly = [];
  const naive = [];
  let report;
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    report = await packageProject(loadProject(dir), { ...options, noCache: true });
    full.push(performance.now() - t);

    appendFileSync(join(dir, 'app.py'), `\n# edit ${i}\n`);
    t = performance.now();
    const hit = await packageProject(loadProject(dir), options);
    codeOnly.push(performance.now() - t);
    if (hit.cache !== 'hit') throw new Error('expected a cache hit for a code-only change');

    // What people script: pip into a folder and zip it. No libpq: the zip fails on Lambda.
    rmSync(join(dir, 'naive.zip'), { force: true });
    t = performance.now();
    await execa('docker', [
      'run',
      '--rm',
      '-v',
      `${dir}:/src`,
      '-v',
      `${folder}:/wheels:ro`,
      buildImage,
      'sh',
      '-c',
      'cd /src && pip install -q --target /tmp/out --no-index --find-links /wheels -r requirements.txt && cp *.py /tmp/out/ && cd /tmp/out && python3 -m zipfile -c /src/naive.zip .',
    ]);
    naive.push(performance.now() - t);
  }
  rmSync(dir, { recursive: true, force: true });
  if (!report) throw new Error('no runs');
  const bundled = report.bundledLibraries;
  return {
    fullMs: median(full),
    codeMs: median(codeOnly),
    naiveMs: median(naive),
    zipBytes: report.bytes,
    bundledCount: bundled?.length ?? 0,
    bundledBytes: (bundled ?? []).reduce((sum, library) => sum + library.bytes, 0),
  };
}
