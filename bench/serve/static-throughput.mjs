#!/usr/bin/env node
/**
 * Static-file throughput: lbuild's static site (dist/serve/static/main.js, run after `npm run build`)
 * against nginx serving the same folder, side by side.
 *
 *   node bench/serve/static-throughput.mjs
 *
 * Setup, chosen to be like-for-like on a small machine:
 *   - each server runs in its own process on 127.0.0.1, alone (one after the other); the load comes
 *     from wrk with one thread (a C client: autocannon, in JS, saturated before our server did on the
 *     150 KB file: 2.5k vs 13.4k req/s measured by wrk against the same server);
 *   - nginx gets ONE worker process, as our server is one Node process (one event loop): the other core
 *     is left to the load generator instead of being fought over;
 *   - nginx config: sendfile, keep-alive, access_log off, try_files SPA fallback, gzip level 6 on the
 *     same types as ours (its gzip compresses every response; ours caches the compressed body);
 *   - the same files: a generated index.html (~2 KB) and JS bundle (~150 KB).
 *
 * Needs: `apt-get install -y nginx wrk`.
 * Environment: BENCH_DURATION (s per run, default 5, max 10), BENCH_ROUNDS (default 3),
 * BENCH_CONNECTIONS (default 32), NGINX / WRK (paths of the binaries), LBUILD_DIST (default dist/).
 *
 * Each round starts every server in turn and runs every case against it, so background load on the
 * machine hits all servers alike; a case's number is its best round.
 * The table is printed on stdout; the raw numbers go to bench/.work/static-throughput.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.resolve(repo, process.env.LBUILD_DIST ?? 'dist');
const mainJs = path.join(dist, 'serve/static/main.js');
const workDir = path.join(repo, 'bench/.work');
const duration = Math.min(10, Number(process.env.BENCH_DURATION ?? 5));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const nginxBin = process.env.NGINX ?? 'nginx';
const wrkBin = process.env.WRK ?? 'wrk';

/**
 * @typedef {object} TestCase
 * @property {string} name
 * @property {string} path
 * @property {Record<string, string>} headers
 * @property {boolean} [conditional] also send If-None-Match with the ETag: expects 304
 */
/** @typedef {import('node:child_process').ChildProcess} ChildProcess */
/** @typedef {{ url: string, stop: () => Promise<void> }} RunningServer */

/** @type {TestCase[]} */
const cases = [
  { name: 'index.html (2 KB)', path: '/index.html', headers: {} },
  { name: 'app.js (150 KB)', path: '/assets/app.js', headers: {} },
  { name: 'app.js (150 KB), gzip', path: '/assets/app.js', headers: { 'accept-encoding': 'gzip' } },
  {
    name: 'SPA deep link → index.html',
    path: '/users/42/settings',
    headers: { accept: 'text/html' },
  },
  { name: 'If-None-Match → 304', path: '/assets/app.js', headers: {}, conditional: true },
];

class BenchError extends Error {}

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  throw new BenchError(message);
}

/** @param {string} root */
function makeSite(root) {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  const rows = Array.from(
    { length: 24 },
    (_, i) => `    <li><a href="/items/${i}">Item ${i}</a></li>`,
  ).join('\n');
  const html = `<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  <title>bench</title>\n  <script type="module" src="/assets/app.js"></script>\n</head>\n<body>\n  <ul>\n${rows}\n  </ul>\n</body>\n</html>\n`;
  writeFileSync(path.join(root, 'index.html'), html.padEnd(2048, ' '));
  // Deterministic, bundle-like text (not a repeated line, so gzip works as on a real bundle).
  let js = '';
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; js.length < 150 * 1024; i++) {
    js += `export function f${i}(a${i}, b) { return a${i} * ${Math.floor(random() * 1e6)} + b.${['x', 'y', 'z', 'w'][i % 4]} - "${random().toString(36).slice(2, 10)}".length; }\n`;
  }
  writeFileSync(path.join(root, 'assets/app.js'), js);
}

async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Waits until the server answers; on failure stops it, so no server outlives the benchmark.
 * @param {string} url
 * @param {ChildProcess} child
 * @param {string} label
 */
async function waitForHttp(url, child, label) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      fail(`${label} exited with code ${child.exitCode} before it answered`);
    try {
      const res = await request(url);
      await res.body.dump();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop(child);
  fail(`${label} did not answer at ${url} within 10 s`);
}

/**
 * @param {string} root
 * @returns {Promise<RunningServer>}
 */
async function startLbuild(root) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [mainJs, root, '--port', String(port), '--host', '127.0.0.1'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.on('exit', (code) => code && code !== 0 && process.stderr.write(stderr));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/index.html`, child, 'lbuild static server');
  return { url, stop: () => stop(child) };
}

/**
 * The ceiling for any Node server here: node:http answering every request with a preloaded buffer, no
 * file system, no logic. Shown as a reference row so the lbuild/nginx ratio can be read against it.
 * @param {string} root
 * @returns {Promise<RunningServer>}
 */
async function startNodeFloor(root) {
  const port = await freePort();
  const code = `const http=require('node:http');const body=require('node:fs').readFileSync(${JSON.stringify(path.join(root, 'index.html'))});
http.createServer((q,s)=>{s.setHeader('Content-Type','text/html; charset=utf-8');s.end(body)}).listen(${port},'127.0.0.1')`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/`, child, 'node:http reference server');
  return { url, stop: () => stop(child) };
}

/**
 * @param {string} root
 * @returns {Promise<RunningServer>}
 */
async function startNginx(root) {
  const port = await freePort();
  const prefix = mkdtempSync(path.join(tmpdir(), 'lbuild-bench-nginx-'));
  const conf = path.join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `${process.getuid?.() === 0 ? 'user root root;\n' : ''}daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  types {
    text/html html; text/css css; text/javascript js mjs; application/json json map;
    image/svg+xml svg; image/png png; application/wasm wasm; font/woff2 woff2; text/plain txt;
  }
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  gzip on;
  gzip_comp_level 6;
  gzip_min_length 1000;
  gzip_vary on;
  gzip_types text/css text/javascript application/json image/svg+xml application/wasm text/plain;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / {
      add_header Cache-Control "no-cache";
      try_files $uri $uri/ /index.html;
    }
  }
}
`,
  );
  const child = spawn(nginxBin, ['-p', prefix, '-e', path.join(prefix, 'error.log'), '-c', conf], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/index.html`, child, 'nginx');
  return {
    url,
    stop: async () => {
      await stop(child);
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/** @param {ChildProcess} child */
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await once(child, 'exit');
  clearTimeout(timer);
}

/**
 * One request first, to check the server answers the case as expected before timing it.
 * @param {string} label
 * @param {string} url
 * @param {TestCase} testCase
 */
async function probe(label, url, testCase) {
  const res = await request(url + testCase.path, { headers: testCase.headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  if (res.statusCode !== 200) fail(`${label} answered ${res.statusCode} for ${testCase.path}`);
  const etag = res.headers.etag;
  if (testCase.conditional) {
    const again = await request(url + testCase.path, { headers: { 'if-none-match': etag } });
    await again.body.dump();
    if (again.statusCode !== 304)
      fail(`${label} answered ${again.statusCode} to If-None-Match ${etag}`);
  }
  return { etag, encoding: res.headers['content-encoding'] ?? 'identity', bytes: body.length };
}

/**
 * @param {string} url
 * @param {Record<string, string | string[] | undefined>} headers
 * @param {number} seconds
 */
async function wrk(url, headers, seconds) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const child = spawn(wrkBin, [...args, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) fail(`wrk exited with ${code}:\n${out}`);
  /** @param {RegExp} re */
  const number = (re) => {
    const match = re.exec(out);
    return match ? Number(match[1]) : undefined;
  };
  const p99 = /99%\s+([\d.]+)(us|ms|s)\b/.exec(out);
  const rps = number(/Requests\/sec:\s+([\d.]+)/);
  if (rps === undefined) fail(`cannot read wrk output:\n${out}`);
  const errors =
    (number(/Non-2xx or 3xx responses:\s+(\d+)/) ?? 0) +
    (number(/Socket errors:.*?timeout (\d+)/) ?? 0);
  if (errors > 0) fail(`${url}: ${errors} error responses or timeouts`);
  return {
    rps,
    p99ms: p99
      ? Number(p99[1]) * { us: 0.001, ms: 1, s: 1000 }[/** @type {'us' | 'ms' | 's'} */ (p99[2])]
      : undefined,
  };
}

/**
 * @param {string} label
 * @param {string} url
 * @param {TestCase} testCase
 */
async function measure(label, url, testCase) {
  const first = await probe(label, url, testCase);
  const headers = {
    ...testCase.headers,
    ...(testCase.conditional ? { 'if-none-match': first.etag } : {}),
  };
  await wrk(url + testCase.path, headers, 1); // warm-up: JIT, page cache, our body cache
  return {
    ...(await wrk(url + testCase.path, headers, duration)),
    encoding: first.encoding,
    bytes: first.bytes,
  };
}

/** @typedef {Awaited<ReturnType<typeof measure>>} Measurement */

const servers = [
  { label: 'nginx', start: startNginx, cases },
  { label: 'lbuild', start: startLbuild, cases },
  {
    label: 'node:http',
    start: startNodeFloor,
    cases: [{ name: 'reference', path: '/', headers: {} }],
  },
];

async function main() {
  if (!existsSync(mainJs)) fail(`${mainJs} not found: run \`npm run build\` first`);
  if (spawnSync(nginxBin, ['-v']).error) fail(`${nginxBin} not found: apt-get install -y nginx`);
  if (spawnSync(wrkBin, ['-v']).error) fail(`${wrkBin} not found: apt-get install -y wrk`);
  const root = path.join(workDir, 'static-site');
  makeSite(root);

  /** @type {Record<string, Record<string, Measurement>>} best[server label][case name] = best run so far */
  const best = {};
  for (let round = 1; round <= rounds; round++) {
    for (const { label, start, cases: serverCases } of servers) {
      const server = await start(root);
      try {
        for (const testCase of serverCases) {
          const result = await measure(label, server.url, testCase);
          process.stderr.write(
            `  round ${round}, ${label}, ${testCase.name}: ${Math.round(result.rps)} req/s\n`,
          );
          const bestOfServer = (best[label] ??= {});
          const previous = bestOfServer[testCase.name];
          if (!previous || result.rps > previous.rps) bestOfServer[testCase.name] = result;
        }
      } finally {
        await server.stop();
      }
    }
  }

  // Every server ran each of its cases at least once (any failure throws before the table).
  /**
   * @param {string} label
   * @param {string} name
   */
  const bestOf = (label, name) =>
    /** @type {Measurement} */ (/** @type {Record<string, Measurement>} */ (best[label])[name]);
  /** @param {number} n */
  const format = (n) => Math.round(n).toLocaleString('en-US');
  /** @param {number | undefined} n */
  const ms = (n) => (n === undefined ? '?' : n < 10 ? n.toFixed(2) : n.toFixed(0));
  const rows = cases.map((testCase) => ({
    case: testCase.name,
    nginx: bestOf('nginx', testCase.name),
    lbuild: bestOf('lbuild', testCase.name),
  }));
  const reference = bestOf('node:http', 'reference');
  const index = /** @type {(typeof rows)[number]} */ (rows[0]);
  const lines = [
    `Static-file throughput: wrk (1 thread, ${connections} connections), best of ${rounds} × ${duration} s, 127.0.0.1; nginx ${nginxVersion()} with 1 worker vs lbuild's one Node ${process.version} process.`,
    '',
    '| case | lbuild response (nginx) | nginx req/s | lbuild req/s | lbuild / nginx | p99 ms nginx / lbuild |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.case} | ${r.lbuild.encoding} ${format(r.lbuild.bytes)} B (${r.nginx.encoding} ${format(r.nginx.bytes)} B) | ${format(r.nginx.rps)} | ${format(r.lbuild.rps)} | ${(r.lbuild.rps / r.nginx.rps).toFixed(2)} | ${ms(r.nginx.p99ms)} / ${ms(r.lbuild.p99ms)} |`,
    ),
    `| reference: bare node:http answering a preloaded 2 KB buffer (no file logic), vs nginx index.html | identity 2,048 B | ${format(index.nginx.rps)} | ${format(reference.rps)} | ${(reference.rps / index.nginx.rps).toFixed(2)} | ${ms(index.nginx.p99ms)} / ${ms(reference.p99ms)} |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  writeFileSync(
    path.join(workDir, 'static-throughput.json'),
    JSON.stringify(
      {
        duration,
        rounds,
        connections,
        node: process.version,
        nginx: nginxVersion(),
        rows,
        reference,
      },
      null,
      2,
    ),
  );
}

function nginxVersion() {
  const { stderr } = spawnSync(nginxBin, ['-v'], { encoding: 'utf8' });
  return /nginx\/([\d.]+)/.exec(stderr ?? '')?.[1] ?? '?';
}

try {
  await main();
} catch (error) {
  process.stderr.write(
    `static-throughput: ${error instanceof BenchError ? error.message : /** @type {Error} */ (error).stack}\n`,
  );
  process.exitCode = 1;
}
