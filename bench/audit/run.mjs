#!/usr/bin/env node
/**
 * Audit benchmark: how long `lbuild audit` takes per 100 MB of package, against the target of
 * under 1 s per 100 MB.
 *
 *   npm run build && node bench/audit/run.mjs
 *
 * Two packages are assembled once under $TMPDIR/lbuild-bench-audit (LBUILD_BENCH_WORK overrides):
 *   - "stdlib + native": the Python standard library of `python3` on PATH (no __pycache__,
 *     site-packages) plus real shared libraries from the system library folder up to 60 MB: the
 *     shape of a Python function with native dependencies (mostly text files, a few big binaries).
 *   - "native only": just those shared libraries: the worst case, every byte is ELF and a zip has
 *     to be inflated whole.
 * Each is audited as a zip (written with lbuild's own zip writer, as `lbuild package` does), as a
 * folder and as in-memory entries, LBUILD_BENCH_RUNS times (default 5); the table shows the median.
 * Baseline: what a hand-rolled check does today, `unzip` to a temporary folder and `objdump -p`
 * on every ELF file (skipped when unzip or objdump is missing).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, lstat, mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditEntries, auditFolder, auditZip } from '../../dist/audit/index.js';
import { writeReproducibleZip } from '../../dist/package/zip/index.js';
import { median } from '../lib/median.mjs';

const RUNS = Number(process.env.LBUILD_BENCH_RUNS ?? 5);
const NATIVE_BUDGET = 60 * 1024 * 1024;
const here = path.dirname(fileURLToPath(import.meta.url));
const work = path.resolve(
  process.env.LBUILD_BENCH_WORK ?? path.join(tmpdir(), 'lbuild-bench-audit'),
);
/** @typedef {import('../../dist/audit/index.js').AuditReport} AuditReport */
/** @typedef {{ dir: string, zip: string }} BenchPackage a folder and the same files zipped */

/** @type {import('../../dist/audit/index.js').AuditOptions & { runtime: string }} */
const target = { runtime: 'python3.12', architecture: 'x86_64' };

function stdlibDir() {
  return execFileSync(
    'python3',
    ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'],
    { encoding: 'utf8' },
  ).trim();
}

function systemLibDir() {
  const multiarch = spawnSync('gcc', ['-print-multiarch'], { encoding: 'utf8' }).stdout?.trim();
  for (const dir of [multiarch && `/usr/lib/${multiarch}`, '/usr/lib64', '/usr/lib'].filter(
    Boolean,
  ))
    if (existsSync(dir)) return dir;
  throw new Error('no system library folder found');
}

/** @param {string} file */
async function isElf(file) {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32BE(0) === 0x7f454c46;
  } finally {
    await handle.close();
  }
}

/**
 * Regular ELF shared libraries (no links), by name, until the byte budget is used.
 * @param {string} dir
 */
async function pickNativeLibraries(dir) {
  const picked = [];
  let total = 0;
  for (const name of (await readdir(dir)).sort()) {
    if (!/\.so(\.\d+)*$/.test(name)) continue;
    const full = path.join(dir, name);
    const info = await lstat(full);
    if (!info.isFile() || info.size > 20 * 1024 * 1024 || total + info.size > NATIVE_BUDGET)
      continue;
    if (!(await isElf(full))) continue;
    picked.push(full);
    total += info.size;
  }
  return picked;
}

/** @returns {Promise<Record<string, BenchPackage>>} by label */
async function prepare() {
  const marker = path.join(work, 'ready');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8'));
  await rm(work, { recursive: true, force: true });
  const mixed = path.join(work, 'mixed');
  const native = path.join(work, 'native');
  const skip = new Set(['__pycache__', 'site-packages', 'dist-packages']);
  await cp(stdlibDir(), path.join(mixed, 'python'), {
    recursive: true,
    dereference: true,
    filter: async (from) =>
      !skip.has(path.basename(from)) && (!(await lstat(from)).isSymbolicLink() || existsSync(from)),
  });
  for (const lib of await pickNativeLibraries(systemLibDir())) {
    for (const root of [mixed, native]) {
      await mkdir(path.join(root, 'lib'), { recursive: true });
      await cp(lib, path.join(root, 'lib', path.basename(lib)));
    }
  }
  /** @type {Record<string, BenchPackage>} */
  const packages = {};
  for (const [label, dir] of /** @type {const} */ ([
    ['stdlib + native', mixed],
    ['native only', native],
  ])) {
    const files = await walk(dir);
    const zip = `${dir}.zip`;
    await writeReproducibleZip(
      files.map((file) => ({
        name: path.relative(dir, file),
        mode: 0o644,
        data: () => readFile(file),
      })),
      zip,
      { concurrency: cpus().length },
    );
    packages[label] = { dir, zip };
  }
  await writeFile(marker, JSON.stringify(packages));
  return packages;
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
  return files.sort();
}

/**
 * @template T
 * @param {() => Promise<T>} fn
 */
async function time(fn) {
  const runs = [];
  /** @type {T | undefined} */
  let last;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    last = await fn();
    runs.push(performance.now() - start);
  }
  return { ms: median(runs), last };
}

/** @param {string} tool */
function has(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

/**
 * unzip to a temporary folder, then objdump -p on every ELF file: one process per binary.
 * @param {string} zip
 */
async function baseline(zip) {
  const out = path.join(work, 'baseline');
  await rm(out, { recursive: true, force: true });
  execFileSync('unzip', ['-q', zip, '-d', out]);
  for (const file of await walk(out))
    if (await isElf(file)) execFileSync('objdump', ['-p', file], { stdio: 'ignore' });
  await rm(out, { recursive: true, force: true });
}

/** @param {number} bytes */
const mb = (bytes) => bytes / 1e6;
const packages = await prepare();
const rows = [];
for (const [label, { dir, zip }] of Object.entries(packages)) {
  const files = await walk(dir);
  const buffers = await Promise.all(
    files.map(async (file) => ({ name: path.relative(dir, file), data: await readFile(file) })),
  );
  const zipBytes = (await stat(zip)).size;
  // The baseline reports nothing: its row shows the counts of lbuild's own audit of the zip.
  /** @type {Array<[string, () => Promise<AuditReport | void>]>} */
  const runs = [
    ['zip', () => auditZip(zip, target)],
    ['folder', () => auditFolder(dir, target)],
    ['in-memory entries', () => auditEntries(buffers, target)],
  ];
  if (has('unzip') && has('objdump'))
    runs.push(['baseline: unzip + objdump -p', () => baseline(zip)]);
  for (const [how, fn] of runs) {
    const { ms, last } = await time(fn);
    const report = last ?? (await auditZip(zip, target));
    rows.push({
      label,
      how,
      files: report.files,
      elf: report.elfFiles,
      unzipped: report.bytes,
      zipBytes,
      ms,
    });
  }
}

console.log(
  `\nlbuild audit, ${target.runtime} ${target.architecture}: median of ${RUNS} runs, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load average ${/** @type {number} */ (loadavg()[0]).toFixed(1)}\n`,
);
console.log(
  '| package | read from | files | ELF files | unzipped | zip | time | per 100 MB unzipped | target < 1 s / 100 MB |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of rows) {
  const per100 = (r.ms / mb(r.unzipped)) * 100;
  const verdict = r.how.startsWith('baseline')
    ? '(baseline)'
    : per100 < 1000
      ? 'met'
      : '**missed**';
  console.log(
    `| ${r.label} | ${r.how} | ${r.files.toLocaleString('en-US')} | ${r.elf} | ${mb(r.unzipped).toFixed(1)} MB | ${mb(r.zipBytes).toFixed(1)} MB | ${Math.round(r.ms)} ms | ${(per100 / 1000).toFixed(2)} s | ${verdict} |`,
  );
}
console.log(
  `\nwork folder: ${work} (delete it to rebuild the packages; ${path.relative(process.cwd(), here) || '.'}/run.mjs)`,
);
