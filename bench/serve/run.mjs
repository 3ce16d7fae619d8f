#!/usr/bin/env node
// bench/serve: `lbuild serve` on the Python example, each number beside a baseline from the same run.
//   npm run build && LBUILD_IMAGE_SOURCE=offline node bench/serve/run.mjs
// - ready: `lbuild serve --detach` until it answers, images present, vs bringing up only the same
//   Postgres by hand (docker compose up + health), i.e. what lbuild adds on top of the database.
// - hot reload: file saved → new response, vs the restart a rebuild-based workflow needs
//   (lbuild down + lbuild serve again, SAM-style).
// Static-file throughput vs nginx is bench/serve/static-throughput.mjs.
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { median } from '../lib/median.mjs';

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const example = fileURLToPath(new URL('../../examples/python-app/', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };
const runs = Number(process.env.BENCH_RUNS ?? 3);
/** @param {...string} args */
const lbuild = (...args) => execa('node', [cli, ...args], { env });

/** @returns {Promise<{ ok: boolean, edit?: number } | undefined>} undefined until the API answers */
async function health() {
  try {
    const response = await request('http://127.0.0.1:3000/api/health');
    return /** @type {Promise<{ ok: boolean, edit?: number }>} */ (response.body.json());
  } catch {
    return undefined;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'lbuild-bench-serve-'));
cpSync(example, dir, { recursive: true });
await lbuild('down', dir, '--volumes').catch(() => {});
await lbuild('serve', dir, '--detach'); // warm-up: images, dependency cache, volume
await lbuild('down', dir);

const ready = [];
const dbOnly = [];
const reload = [];
const restart = [];
const compose = ['-p', 'lbuild-shop', '-f', join(dir, '.lbuild/serve/docker-compose.yml')];
for (let i = 0; i < runs; i++) {
  let t = performance.now();
  await execa('docker-compose', [...compose, 'up', '-d']);
  const id = (
    await execa('docker', [
      'ps',
      '-q',
      '--filter',
      'label=com.docker.compose.project=lbuild-shop',
      '--filter',
      'label=com.docker.compose.service=db',
    ])
  ).stdout.trim();
  while (
    (await execa('docker', ['inspect', '-f', '{{.State.Health.Status}}', id], { reject: false }))
      .stdout !== 'healthy'
  )
    await new Promise((r) => setTimeout(r, 100));
  dbOnly.push(performance.now() - t);
  await execa('docker-compose', [...compose, 'down']);

  t = performance.now();
  await lbuild('serve', dir, '--detach');
  while (!(await health())) await new Promise((r) => setTimeout(r, 50));
  ready.push(performance.now() - t);

  const app = join(dir, 'app.py');
  writeFileSync(
    app,
    readFileSync(app, 'utf8').replace(
      /return \{"ok": True.*\}/,
      `return {"ok": True, "edit": ${i}}`,
    ),
  );
  t = performance.now();
  while ((await health())?.edit !== i) await new Promise((r) => setTimeout(r, 20));
  reload.push(performance.now() - t);

  t = performance.now();
  await lbuild('down', dir);
  await lbuild('serve', dir, '--detach');
  while (!(await health())) await new Promise((r) => setTimeout(r, 50));
  restart.push(performance.now() - t);
  await lbuild('down', dir);
}
await lbuild('down', dir, '--volumes');
rmSync(dir, { recursive: true, force: true });

/** @param {number} ms */
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`\n## bench/serve (examples/python-app, offline stand-ins, median of ${runs})\n`);
console.log('| measurement | lbuild | baseline (same run) | target |');
console.log('| --- | --- | --- | --- |');
console.log(
  `| \`lbuild serve\` to first API answer, images present | ${s(median(ready))} | Postgres alone via compose up + healthy: ${s(median(dbOnly))} | < 10 s |`,
);
console.log(
  `| hot reload: save app.py → new response | ${s(median(reload))} | down + serve again: ${s(median(restart))} | < 1 s (LocalStack ~0.7 s, SAM > 10 s, quoted) |`,
);
