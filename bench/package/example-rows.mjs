// bench/package rows for the Python example with its real dependencies (Flask, psycopg2 and the
// libpq that lbuild bundles): full build, code-only change, and the bytes bundled, beside a naive
// `docker run` + pip + zip of the same requirements, measured in the same run. The wheels come
// from scripts/debian-wheels.mjs through a pip.conf, as scripts/dev.sh sets the example up.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianWheels } from '../../scripts/debian-wheels.mjs';
import { median } from '../lib/median.mjs';
import { measureBuilds } from './measure-builds.mjs';

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
  // What people script: pip into a folder and zip it. No libpq: the zip fails on Lambda.
  const { full, codeOnly, codeOnlyCold, naive, last } = await measureBuilds({
    dir,
    docker,
    image: buildImage,
    mounts: [`${folder}:/wheels:ro`],
    script:
      'cd /src && pip install -q --target /tmp/out --no-index --find-links /wheels -r requirements.txt && cp *.py /tmp/out/ && cd /tmp/out && python3 -m zipfile -c /src/naive.zip .',
    runs,
  });
  rmSync(dir, { recursive: true, force: true });
  const bundled = last.bundledLibraries;
  return {
    fullMs: median(full),
    codeMs: median(codeOnly),
    coldMs: median(codeOnlyCold),
    naiveMs: median(naive),
    zipBytes: last.bytes,
    bundledCount: bundled?.length ?? 0,
    bundledBytes: (bundled ?? []).reduce((sum, library) => sum + library.bytes, 0),
  };
}
