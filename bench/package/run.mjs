#!/usr/bin/env node
// bench/package: lbuild package timings beside baselines measured in the same run.
//   npm run build && LBUILD_IMAGE_SOURCE=offline node bench/package/run.mjs
// Rows: full build vs code-only rebuild (the cache at work), a code-only rebuild with and without
// the zip entry and audit facts caches (incremental zips), and lbuild's full build vs a naive
// container build (docker run the same build image, pip install, zip -r) as people script it; for
// the python-native fixture, the Python example, and two real-sized apps made at bench time under
// bench/.work (real-rows.mjs; BENCH_REAL=0 skips them, BENCH_FULL_RUNS sets their full builds).
// --timings-style breakdown of the real apps' code-only builds follows the table.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../dist/config/load.js';
import { connectEngine } from '../../dist/docker/engine.js';
import { ensureBuildImage } from '../../dist/images/build-image.js';
import { packageProject } from '../../dist/package/package-project.js';
import { median } from '../lib/median.mjs';
import { measureExample } from './example-rows.mjs';
import { measureRealFixtures } from './real-rows.mjs';
import { measureBuilds } from './measure-builds.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const fixture = fileURLToPath(new URL('../../test/fixtures/python-native/', import.meta.url));
/** @param {number} ms */
const seconds = (ms) => (ms / 1000).toFixed(2);

const { docker } = await connectEngine();
const dir = mkdtempSync(join(tmpdir(), 'lbuild-bench-'));
cpSync(fixture, dir, { recursive: true });
// The naive baseline writes its zip into the project (bind mount): keep it out of lbuild's.
writeFileSync(join(dir, '.lbuildignore'), 'naive.zip\n');
const project = () => loadProject(dir);
const image = await ensureBuildImage(docker, project().runtime, 'x86_64', 'offline', {
  stage: () => () => 0,
  info() {},
  warn() {},
  toolOutput() {},
});

// The baseline: what a hand-written container build does (bind mount, pip, zip of the tree).
const { full, codeOnly, codeOnlyCold, naive } = await measureBuilds({
  dir,
  docker,
  image: image.tag,
  script:
    'cd /src && pip install -q --target /tmp/out --no-index --no-build-isolation -r requirements.txt && cp app.py /tmp/out/ && cd /tmp/out && python3 -m zipfile -c /src/naive.zip .',
  runs,
});
// arm64 through QEMU, when the arm64 stand-ins exist (lbuild images build --offline --arch arm64).
const arm64 = [];
const { imageId } = await import('../../dist/docker/images.js');
if (await imageId(docker, 'lbuild/offline-python-build:bookworm-arm64')) {
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await packageProject(loadProject(dir, { architecture: 'arm64' }), {
      docker,
      imageSource: 'offline',
      noCache: true,
      out: join(dir, '..', 'arm64.zip'),
    });
    arm64.push(performance.now() - t);
  }
}
// Slim on the same fixture: bytes removed or stripped, and the zip beside the unslimmed one.
const plain = await packageProject(project(), {
  docker,
  imageSource: 'offline',
  out: join(dir, '..', 'plain.zip'),
});
const slimmed = await packageProject(project(), {
  docker,
  imageSource: 'offline',
  slim: true,
  out: join(dir, '..', 'slim.zip'),
});
rmSync(dir, { recursive: true, force: true });
const example = await measureExample(docker, image.tag, runs);
const real =
  process.env.BENCH_REAL === '0'
    ? undefined
    : await measureRealFixtures(docker, {
        runs: Math.max(runs, 5),
        fullRuns: Number(process.env.BENCH_FULL_RUNS ?? 1),
      });

const fullMs = median(full);
const codeMs = median(codeOnly);
const coldMs = median(codeOnlyCold);
const naiveMs = median(naive);
console.log(
  `\n## bench/package (python-native fixture, median of ${runs}, offline stand-in images)\n`,
);
console.log('| measurement | lbuild | baseline | ratio | target |');
console.log('| --- | --- | --- | --- | --- |');
console.log(
  `| code-only change vs full build | ${seconds(codeMs)} s | full: ${seconds(fullMs)} s | ${(fullMs / codeMs).toFixed(1)}x faster | ≤ 1 s and ≥ 10x |`,
);
console.log(
  `| code-only change vs the same with zip/audit caches emptied | ${seconds(codeMs)} s | emptied: ${seconds(coldMs)} s | ${(coldMs / codeMs).toFixed(1)}x faster | no regression |`,
);
console.log(
  `| full build vs naive docker run + pip + zip | ${seconds(fullMs)} s | naive: ${seconds(naiveMs)} s | ${(naiveMs / fullMs).toFixed(2)}x | comparable; lbuild adds cache + reproducibility |`,
);
if (arm64.length)
  console.log(
    `| arm64 full build (QEMU) vs x86_64 full build | ${seconds(median(arm64))} s | x86_64: ${seconds(fullMs)} s | ${(median(arm64) / fullMs).toFixed(1)}x slower | report |`,
  );
console.log(
  `| slim: unzipped bytes | ${slimmed.unzippedBytes} B (zip ${slimmed.bytes} B) | unslimmed: ${plain.unzippedBytes} B (zip ${plain.bytes} B) | ${slimmed.slim?.bytesSaved ?? 0} B saved | report |`,
);
console.log(
  `| code-only change vs naive rebuild | ${seconds(codeMs)} s | naive: ${seconds(naiveMs)} s | ${(naiveMs / codeMs).toFixed(1)}x faster | |`,
);
console.log(
  `| example (Flask, psycopg2, libpq bundled): full build vs naive docker run + pip + zip (no libpq) | ${seconds(example.fullMs)} s | naive: ${seconds(example.naiveMs)} s | ${(example.naiveMs / example.fullMs).toFixed(2)}x | report |`,
);
console.log(
  `| example: code-only change vs full build | ${seconds(example.codeMs)} s | full: ${seconds(example.fullMs)} s | ${(example.fullMs / example.codeMs).toFixed(1)}x faster | ≤ 1 s |`,
);
console.log(
  `| example: code-only change vs the same with zip/audit caches emptied | ${seconds(example.codeMs)} s | emptied: ${seconds(example.coldMs)} s | ${(example.coldMs / example.codeMs).toFixed(1)}x faster | |`,
);
console.log(
  `| example: libraries bundled into lib/ | ${example.bundledCount} files, ${example.bundledBytes} B | zip: ${example.zipBytes} B | | report |`,
);
if (real) {
  const mb = (/** @type {number} */ bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
  for (const [label, row, goal] of /** @type {const} */ ([
    ['Express + bcrypt, better-sqlite3, sharp, Powertools (npm registry)', real.node, '≤ 0.3 s'],
    ['Django + psycopg2 (Debian wheels)', real.django, ''],
  ])) {
    const what = `${label}, ${mb(row.unzippedBytes)} unzipped, ${row.files} files, zip ${mb(row.zipBytes)}`;
    console.log(
      `| ${what}: code-only change vs the same with zip/audit caches emptied | ${seconds(row.codeMs)} s (${row.reused.reused}/${row.reused.entries} entries reused) | emptied: ${seconds(row.coldMs)} s | ${(row.coldMs / row.codeMs).toFixed(1)}x faster | ${goal} |`,
    );
    console.log(
      `| ${label}: full build vs naive docker run + install + zip | ${seconds(row.fullMs)} s | naive: ${seconds(row.naiveMs)} s | ${(row.naiveMs / row.fullMs).toFixed(2)}x | report |`,
    );
  }
  for (const [label, row] of /** @type {const} */ ([
    ['Express app', real.node],
    ['Django app', real.django],
  ])) {
    const steps = row.timings.stages.flatMap((stage) => [
      `${stage.name} ${stage.ms}`,
      ...(stage.steps ?? []).map((step) => `${stage.name}.${step.name} ${step.ms}`),
    ]);
    console.log(
      `\n${label}, last code-only build (ms): ${steps.join(', ')}, other ${row.timings.otherMs}, total ${row.timings.totalMs}`,
    );
  }
}
