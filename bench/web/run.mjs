#!/usr/bin/env node
// bench/web: examples/web-app's Express server as a Lambda Web Function under `lbuild serve`,
// beside the same server under bare `node` on the host (the floor: what the app costs without
// Lambda around it) and beside an event function answering the same JSON through the API
// Gateway front (the classic Lambda path), at concurrency 1, 8 and 64; then the time to first
// byte of the two streams (server-sent events from the web function, a RESPONSE_STREAM Function
// URL) against the time to their last byte.
//   npm run build && LBUILD_IMAGE_SOURCE=offline node bench/web/run.mjs
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { runLoad } from '../invoke/lib/load.mjs';
import { loadAverage } from '../invoke/lib/proc.mjs';

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
const concurrencies = [1, 8, 64];
const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const example = fileURLToPath(new URL('../../examples/web-app/', import.meta.url));
const ports = { api: 4600, web: 4602, url: 4603, frontend: 4604, bare: 4605 };
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };

const dir = mkdtempSync(join(tmpdir(), 'lbuild-bench-web-'));
cpSync(example, dir, { recursive: true });
// The event-function path: the same answer from a handler behind the API Gateway front.
writeFileSync(
  join(dir, 'hello.mjs'),
  'export const handler = async (event) => ({ hello: event.queryStringParameters?.name ?? "world" });\n',
);
const config = JSON.parse(readFileSync(join(dir, 'lbuild.json'), 'utf8'));
config.name = 'bench-web';
config.api = { port: ports.api };
config.functions.web.port = ports.web;
config.functions.web.maxConcurrencyPerEnvironment = 64;
config.functions.tokens.url.port = ports.url;
config.functions.hello = { handler: 'hello.handler', routes: ['GET /api/hello'], concurrency: 8 };
config.frontend.port = ports.frontend;
writeFileSync(join(dir, 'lbuild.json'), JSON.stringify(config));

await execa('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: dir });
const bare = execa('node', ['server.js'], {
  cwd: dir,
  env: { AWS_LAMBDA_HTTP_ENDPOINT: `127.0.0.1:${ports.bare}` },
  reject: false,
});
const served = await execa('node', [cli, 'serve', dir, '--detach', '--no-watch'], {
  env,
  reject: false,
  all: true,
});
if (served.exitCode !== 0) throw new Error(`lbuild serve failed:\n${served.all}`);

const floorName = 'bare node (floor)';
/** @type {Array<[string, string]>} */
const targets = [
  [floorName, `http://127.0.0.1:${ports.bare}/api/hello`],
  ['web function (lbuild serve)', `http://127.0.0.1:${ports.web}/api/hello`],
  ['event function via API Gateway', `http://127.0.0.1:${ports.api}/api/hello`],
];
const rows = [];
try {
  for (const [name, url] of targets) {
    for (const concurrency of concurrencies) {
      const result = await runLoad({ url, concurrency, durationMs, warmupRequests: 10 });
      rows.push({ name, concurrency, ...result });
    }
  }
  // Warm: the first request to each starts its environment or worker (a cold start is not TTFB).
  await firstAndLast(`http://127.0.0.1:${ports.url}/?text=warm`);
  const sse = await firstAndLast(`http://127.0.0.1:${ports.web}/api/clock?count=5&gapMs=200`);
  const url = await firstAndLast(`http://127.0.0.1:${ports.url}/?text=a%20b%20c%20d%20e`);

  console.log(
    `\n## bench/web (examples/web-app, ${durationMs / 1000} s per row, load ${loadAverage()})\n`,
  );
  console.log('| target | concurrency | req/s | p50 ms | p99 ms | vs bare node |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const floor = rows.find((r) => r.name === floorName && r.concurrency === row.concurrency);
    console.log(
      `| ${row.name} | ${row.concurrency} | ${row.rps.toFixed(0)} | ${(row.p50us / 1000).toFixed(2)} | ${(row.p99us / 1000).toFixed(2)} | ${floor ? `${((row.rps / floor.rps) * 100).toFixed(0)}%` : ''} |`,
    );
  }
  console.log('\n| stream | first byte ms | last byte ms | written over |');
  console.log('| --- | ---: | ---: | --- |');
  console.log(
    `| web function SSE (5 events, 200 ms apart) | ${sse.firstMs.toFixed(1)} | ${sse.lastMs.toFixed(1)} | 1000 ms |`,
  );
  console.log(
    `| Function URL, RESPONSE_STREAM (5 words, 200 ms apart) | ${url.firstMs.toFixed(1)} | ${url.lastMs.toFixed(1)} | 1000 ms |`,
  );
} finally {
  await execa('node', [cli, 'down', dir], { env, reject: false });
  bare.kill();
  await bare;
  rmSync(dir, { recursive: true, force: true });
}

/** Time to the first and the last byte of a streamed response. @param {string} url */
async function firstAndLast(url) {
  const started = performance.now();
  const response = await request(url);
  let firstMs = 0;
  for await (const chunk of response.body)
    if (!firstMs && chunk.length) firstMs = performance.now() - started;
  return { firstMs, lastMs: performance.now() - started };
}
