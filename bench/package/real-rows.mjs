// bench/package rows for the real-sized fixtures (real-fixtures.mjs): an Express app with native
// modules and AWS Powertools from the npm registry, and a Django + psycopg2 app from the Debian
// wheel folder. Each: a code-only change beside the same change with the zip entry and audit
// facts caches emptied (the cost before incremental zips), and a full build beside a naive
// `docker run` + install + zip of the same project, all measured in the same run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../dist/config/load.js';
import { ensureBuildImage } from '../../dist/images/build-image.js';
import { median } from '../lib/median.mjs';
import { measureBuilds } from './measure-builds.mjs';
import { djangoAppFixture, nodeAppFixture } from './real-fixtures.mjs';

const quiet = { stage: () => () => 0, info() {}, warn() {}, toolOutput() {} };

/**
 * @param {import('dockerode')} docker
 * @param {{ runs: number, fullRuns: number }} counts code-only runs; full + naive runs (slow)
 */
export async function measureRealFixtures(docker, { runs, fullRuns }) {
  const nodeDir = await nodeAppFixture();
  writeFileSync(join(nodeDir, '.lbuildignore'), 'naive.zip\n');
  const nodeImage = await ensureBuildImage(
    docker,
    loadProject(nodeDir).runtime,
    'x86_64',
    'offline',
    quiet,
  );
  // lbuild forwards the host's CA bundle (TLS-inspecting proxies); the naive script gets it too.
  const ca =
    process.env.NODE_EXTRA_CA_CERTS ??
    process.env.SSL_CERT_FILE ??
    '/etc/ssl/certs/ca-certificates.crt';
  const node = await measureBuilds({
    dir: nodeDir,
    docker,
    image: nodeImage.tag,
    edit: 'index.js',
    runs,
    fullRuns,
    mounts: [`${ca}:/tmp/host-ca.pem:ro`],
    // What people script: npm ci in a copy of the project, then zip the folder.
    script:
      'cp -r /src /tmp/app && cd /tmp/app && rm -rf .lbuild naive.zip && NODE_EXTRA_CA_CERTS=/tmp/host-ca.pem npm ci --omit=dev --no-audit --no-fund --loglevel=error && python3 -m zipfile -c /src/naive.zip index.js package.json node_modules',
  });

  const django = await djangoAppFixture();
  writeFileSync(join(django.dir, '.lbuildignore'), 'naive.zip\n');
  // pip lets PIP_FIND_LINKS override a pip.conf's find-links; some machines set it globally.
  delete process.env.PIP_FIND_LINKS;
  const pythonImage = await ensureBuildImage(
    docker,
    loadProject(django.dir).runtime,
    'x86_64',
    'offline',
    quiet,
  );
  const py = await measureBuilds({
    dir: django.dir,
    docker,
    image: pythonImage.tag,
    mounts: [`${django.wheels}:/wheels:ro`],
    runs,
    fullRuns,
    script:
      'cd /src && pip install -q --target /tmp/out --no-index --find-links /wheels -r requirements.txt && cp *.py /tmp/out/ && cd /tmp/out && python3 -m zipfile -c /src/naive.zip .',
  });
  return { node: summarize(node), django: summarize(py) };
}

/** @param {Awaited<ReturnType<typeof measureBuilds>>} measured */
function summarize(measured) {
  return {
    fullMs: median(measured.full),
    naiveMs: median(measured.naive),
    codeMs: median(measured.codeOnly),
    coldMs: median(measured.codeOnlyCold),
    files: measured.last.files,
    unzippedBytes: measured.last.unzippedBytes,
    zipBytes: measured.last.bytes,
    reused: measured.lastCodeOnly.reusedEntries,
    timings: measured.lastCodeOnly.timings,
  };
}
