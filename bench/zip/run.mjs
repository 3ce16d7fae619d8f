#!/usr/bin/env node
/**
 * Zip benchmark: lbuild's reproducible writer vs Info-ZIP on a copy of the Python standard library.
 *
 *   npm run build && node bench/zip/run.mjs [stdlib-dir]
 *
 * The tree defaults to the stdlib of `python3` on PATH (override with an argument or
 * LBUILD_BENCH_STDLIB), copied once to bench/.work/stdlib without __pycache__, site-packages and
 * dist-packages, symlinks replaced by their targets (so both tools see the same regular files).
 * Both tools are timed end to end: walk the tree, read the files, compress, write the zip. The page
 * cache is warm for both (the copy just wrote the files).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { cp, lstat, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReproducibleZip } from '../../dist/package/zip/index.js';
import { median } from '../lib/median.mjs';

const RUNS = Number(process.env.LBUILD_BENCH_RUNS ?? 3);
const here = path.dirname(fileURLToPath(import.meta.url));
const work = path.resolve(here, '..', '.work');
const tree = path.join(work, 'stdlib');
const outDir = path.join(work, 'zip-out');

function sourceTree() {
  const given = process.argv[2] ?? process.env.LBUILD_BENCH_STDLIB;
  if (given) return path.resolve(given);
  return execFileSync(
    'python3',
    ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'],
    { encoding: 'utf8' },
  ).trim();
}

/** @param {string} source */
async function prepareTree(source) {
  const marker = path.join(work, 'stdlib.source');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === source && existsSync(tree)) return;
  await rm(tree, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const skip = new Set(['__pycache__', 'site-packages', 'dist-packages']);
  await cp(source, tree, {
    recursive: true,
    dereference: true,
    filter: async (from) => {
      if (skip.has(path.basename(from))) return false;
      const info = await lstat(from);
      return !info.isSymbolicLink() || existsSync(from); // drop dangling links
    },
  });
  await writeFile(marker, source);
}

/**
 * Every regular file under root (Node's recursive readdir).
 * @param {string} root
 */
async function walk(root) {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
  return files;
}

/** @param {string} root */
async function inputBytes(root) {
  let total = 0;
  for (const file of await walk(root)) total += (await stat(file)).size;
  return total;
}

/** @typedef {{ seconds: number, bytes: number, sha256: string }} ZipRun one zip written, timed */

/**
 * @param {number | undefined} concurrency undefined: the writer's default
 * @returns {Promise<ZipRun>}
 */
async function runLbuild(concurrency) {
  const out = path.join(outDir, `lbuild-${concurrency ?? 'default'}.zip`);
  const start = performance.now();
  const files = await walk(tree);
  const entries = [];
  for (const file of files) {
    const info = await stat(file);
    entries.push({ name: path.relative(tree, file), mode: info.mode, data: () => readFile(file) });
  }
  const result = await writeReproducibleZip(entries, out, { concurrency });
  return {
    seconds: (performance.now() - start) / 1000,
    bytes: result.bytes,
    sha256: result.sha256,
  };
}

/** @returns {ZipRun} */
function runInfoZip() {
  const out = path.join(outDir, 'infozip.zip');
  // zip updates an existing archive in place; start from nothing every time.
  spawnSync('rm', ['-f', out]);
  const start = performance.now();
  const result = spawnSync('zip', ['-r', '-X', '-6', '-q', out, '.'], {
    cwd: tree,
    encoding: 'utf8',
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`zip failed: ${result.stderr}`);
  const bytes = readFileSync(out);
  return { seconds, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Rounds interleave the tools, so a burst of load from elsewhere on the machine hits all of them.
 * @param {Array<{ label: string, run: () => ZipRun | Promise<ZipRun> }>} tools
 */
async function measure(tools) {
  const perTool = tools.map((tool) => ({ tool, runs: /** @type {ZipRun[]} */ ([]) }));
  for (let round = 0; round < RUNS; round++) {
    for (const { tool, runs } of perTool) runs.push(await tool.run());
  }
  return perTool.map(({ tool, runs }) => ({
    label: tool.label,
    seconds: median(runs.map((r) => r.seconds)),
    bytes: /** @type {ZipRun} */ (runs[0]).bytes,
    sha256s: new Set(runs.map((r) => r.sha256)),
  }));
}

/** @typedef {Awaited<ReturnType<typeof measure>>[number]} Measured the runs of one tool */

async function main() {
  if (spawnSync('zip', ['-v']).status !== 0)
    throw new Error('Info-ZIP `zip` is not installed (apt-get install -y zip)');
  const source = sourceTree();
  await prepareTree(source);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const input = await inputBytes(tree);
  const fileCount = (await walk(tree)).length;
  const cores = cpus().length;

  const loadBefore = /** @type {number} */ (loadavg()[0]);
  // One row per tool given.
  const [infoZip, parallel, single] = /** @type {[Measured, Measured, Measured]} */ (
    await measure([
      { label: 'Info-ZIP `zip -r -X -6`', run: runInfoZip },
      {
        label: `lbuild writer (default: concurrency ${cores * 2})`,
        run: () => runLbuild(undefined),
      },
      { label: 'lbuild writer (concurrency 1)', run: () => runLbuild(1) },
    ])
  );
  const loadAfter = /** @type {number} */ (loadavg()[0]);

  const mb = input / 1e6;
  console.log(
    `\nInput: ${source} → ${path.relative(process.cwd(), tree)}: ${fileCount} files, ${mb.toFixed(1)} MB; ${cores} cores; Node ${process.version}, zlib ${process.versions.zlib}; median of ${RUNS} interleaved runs; 1-min load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after\n`,
  );
  console.log('| tool | median s | MB/s | output bytes | size vs Info-ZIP |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const row of [infoZip, parallel, single]) {
    const size = ((row.bytes / infoZip.bytes - 1) * 100).toFixed(1);
    console.log(
      `| ${row.label} | ${row.seconds.toFixed(2)} | ${(mb / row.seconds).toFixed(1)} | ${row.bytes} | ${size.startsWith('-') ? size : `+${size}`}% |`,
    );
  }
  const speedup = infoZip.seconds / parallel.seconds;
  const sameBytes =
    parallel.sha256s.size === 1 &&
    single.sha256s.size === 1 &&
    [...parallel.sha256s][0] === [...single.sha256s][0];
  console.log(`\nthroughput vs Info-ZIP: ${speedup.toFixed(2)}x (target ≥ 1.5x)`);
  console.log(
    `lbuild sha256 identical across all ${RUNS * 2} runs and both concurrencies: ${sameBytes ? 'yes' : 'NO'} (${[...parallel.sha256s][0]})`,
  );
  if (!sameBytes) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
