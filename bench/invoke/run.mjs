#!/usr/bin/env node
// bench/invoke: the emulator's invocation path (API Gateway front → pool → Runtime API long poll →
// bootstrap → /response → back), every number beside baselines measured in the same run:
//   - the floor: a bare node:http round trip on loopback;
//   - serverless-offline 13.x (serverless 3.x) serving the same handlers: its default mode
//     (worker threads) for Node, its Python runner for Python.
// Every target runs in its own process; the load generator (lib/load.mjs) times each request with
// process.hrtime.bigint() over an undici Pool (closed loop, bounded by duration and count).
//
//   npm run build && node bench/invoke/run.mjs [--quick] [--only=floor,node-process,...]
// Container workers use LBUILD_IMAGE_SOURCE (default here: offline, the Debian stand-in images).
//
// Phases: (1) per target: cold starts and warm latency; (2) throughput at c=1/2/8, all targets
// interleaved for several rounds (best round reported, so a burst of other work on a shared machine
// does not decide a comparison); (3) per target: the long run with memory samples.
// --quick: 10 s long runs and shorter phases (≈ 3 min); the full run (60 s long runs) ≈ 13 min.
// serverless-offline is installed on first use into bench/.work/serverless-offline/ (gitignored).
import { execFileSync, fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad, timedRequest } from './lib/load.mjs';
import { median } from '../lib/median.mjs';
import { containerPids, foreignCpuMeter, loadAverage, treeCpuMs, treeRssMb } from './lib/proc.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const here = fileURLToPath(new URL('.', import.meta.url));
const work = fileURLToPath(new URL('../.work/', import.meta.url));
const peerDir = join(work, 'serverless-offline');

const phase = quick
  ? {
      latencyMs: 2_000,
      latencyMax: 4_000,
      throughputMs: 2_000,
      rounds: 2,
      longMs: 10_000,
      window: 3,
      coldRuns: 3,
    }
  : {
      latencyMs: 4_000,
      latencyMax: 10_000,
      throughputMs: 4_000,
      rounds: 3,
      longMs: 60_000,
      window: 10,
      coldRuns: 3,
    };

/** The concurrency levels of the throughput phase. @typedef {1 | 2 | 8} Concurrency */
/** @type {Concurrency[]} */
const levels = [1, 2, 8];

/**
 * A server process under load: one lbuild emulator, the floor or serverless-offline.
 * @typedef {object} Target
 * @property {number} pid
 * @property {string} url the gateway route that answers "hello"
 * @property {string} [invokeUrl] the Invoke API of the same function, when the target has one
 * @property {number[]} initDurations Init Duration of each cold start seen in the output (ms)
 * @property {() => number[]} rssRoots the processes whose memory and CPU count as the target's
 * @property {number[]} [roots] rssRoots() as of the current phase (containers come and go)
 * @property {boolean} [scan] whether the output is still scanned (start-up and cold starts)
 * @property {(line: string) => void} [onLine] called with each output line while scanning
 * @property {() => Promise<void>} [recycle] stops the warm workers: the next request is cold
 * @property {() => Promise<void>} stop
 * @property {boolean} [stopped]
 */

/**
 * @typedef {object} Spec one row of the tables
 * @property {string} id what --only= selects
 * @property {string} label
 * @property {string} lang
 * @property {'process' | 'container' | 'peer'} [kind]
 * @property {() => Promise<Target>} start
 * @property {boolean} cold whether to measure cold starts
 * @property {boolean} long whether to do the long run
 */

/**
 * A load phase's numbers and the CPU the machine spent meanwhile.
 * @typedef {Awaited<ReturnType<typeof runLoad>> & ReturnType<ReturnType<typeof foreignCpuMeter>>} LoadRun
 */
/** @typedef {{ mb: number, processes: number, cpuMs: number }} RssSample */
/**
 * The long run, with a memory and CPU sample each second.
 * @typedef {LoadRun & { rss: RssSample[], load: string }} LongRun
 */

/**
 * Everything measured for one spec, in the order the phases fill it in (BENCH_JSON writes it).
 * @typedef {object} Result
 * @property {Spec} spec
 * @property {string} loadBefore
 * @property {Record<Concurrency, LoadRun>} tp the best round of each level
 * @property {Record<Concurrency, LoadRun[]>} rounds
 * @property {Target} target
 * @property {number} [firstMs]
 * @property {number} [coldWallMs]
 * @property {number} [initMs]
 * @property {LoadRun} gw
 * @property {LoadRun} [inv]
 * @property {string} loadAfter
 * @property {LongRun} [long]
 * @property {{ first: number, last: number, change: number, growth: number, cpuChange: number }} [longSummary]
 */

/**
 * The messages the target processes send over IPC (target-lbuild.mjs, target-floor.mjs).
 * @typedef {object} TargetMessage
 * @property {string} [url]
 * @property {string} [gatewayUrl]
 * @property {string} [invokeUrl]
 * @property {string} [functionName]
 * @property {unknown} [reaped]
 * @property {boolean} [closed]
 */

/** @param {...unknown} xs */
const log = (...xs) =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)} load ${loadAverage()}]`, ...xs);
/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Handlers: the same hello world for lbuild and serverless-offline (HTTP API, payload 2.0).

const handlers = {
  python: {
    file: 'handler.py',
    code: 'def handler(event, context):\n    return {"statusCode": 200, "headers": {"content-type": "text/plain"}, "body": "hello"}\n',
    runtime: 'python3.11',
  },
  node: {
    file: 'handler.js',
    code: "exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'hello' });\n",
    runtime: 'nodejs18.x',
  },
};

function writeProjects() {
  for (const [lang, h] of Object.entries(handlers)) {
    const lb = join(work, 'invoke', `lbuild-${lang}`);
    mkdirSync(lb, { recursive: true });
    writeFileSync(join(lb, h.file), h.code);
    // The repository's package.json says "type": "module"; the handler is CommonJS, as in a zip.
    if (lang === 'node') writeFileSync(join(lb, 'package.json'), '{ "type": "commonjs" }\n');
    writeFileSync(
      join(lb, 'lbuild.json'),
      JSON.stringify(
        {
          name: `bench-${lang}`,
          runtime: h.runtime,
          functions: { hello: { handler: 'handler.handler', routes: ['GET /hello'] } },
        },
        null,
        2,
      ),
    );
    const sls = join(peerDir, `svc-${lang}`);
    mkdirSync(sls, { recursive: true });
    writeFileSync(join(sls, h.file), h.code);
    writeFileSync(
      join(sls, 'serverless.yml'),
      [
        `service: bench${lang}`,
        "frameworkVersion: '3'",
        'provider:',
        '  name: aws',
        `  runtime: ${h.runtime}`,
        'functions:',
        '  hello:',
        '    handler: handler.handler',
        '    events:',
        '      - httpApi:',
        '          path: /hello',
        '          method: get',
        'plugins:',
        '  - serverless-offline',
        '',
      ].join('\n'),
    );
  }
}

function ensurePeer() {
  if (
    existsSync(join(peerDir, 'node_modules/serverless/bin/serverless.js')) &&
    existsSync(join(peerDir, 'node_modules/serverless-offline/package.json'))
  )
    return;
  log('installing serverless@3 + serverless-offline@13 into', peerDir, '(benchmark only)');
  mkdirSync(peerDir, { recursive: true });
  if (!existsSync(join(peerDir, 'package.json')))
    writeFileSync(
      join(peerDir, 'package.json'),
      '{ "name": "lbuild-bench-peer", "private": true, "version": "0.0.0" }\n',
    );
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', 'serverless@3', 'serverless-offline@13'],
    { cwd: peerDir, stdio: 'inherit' },
  );
}

function peerVersions() {
  /** @param {string} name */
  const read = (name) =>
    JSON.parse(readFileSync(join(peerDir, 'node_modules', name, 'package.json'), 'utf8')).version;
  return { serverless: read('serverless'), offline: read('serverless-offline') };
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Targets: each starts a server process and says where to send requests.

/**
 * Output of a target's process, drained (as a terminal would be) and, while `target.scan` is on
 * (start-up and cold starts), scanned for Init Duration and readiness lines.
 * @param {import('node:child_process').ChildProcess} child started with stdout and stderr piped
 * @param {Pick<Target, 'initDurations' | 'scan' | 'onLine'>} target
 */
function drain(child, target) {
  const stdout = /** @type {import('node:stream').Readable} */ (child.stdout);
  const stderr = /** @type {import('node:stream').Readable} */ (child.stderr);
  let partial = '';
  target.scan = true;
  stdout.on('data', (chunk) => {
    if (!target.scan) return;
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const init = /Init Duration: ([\d.]+) ms/.exec(line);
      if (init) target.initDurations.push(Number(init[1]));
      if (target.onLine) target.onLine(line);
    }
  });
  stderr.on('data', (chunk) => {
    if (process.env.BENCH_VERBOSE) process.stderr.write(chunk);
  });
}

/**
 * @param {import('node:child_process').ChildProcess} child
 * @param {(message: TargetMessage) => unknown} predicate
 * @param {number} [timeoutMs]
 * @returns {Promise<TargetMessage>}
 */
function waitMessage(child, predicate, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('target did not answer in time')), timeoutMs);
    /** @param {TargetMessage} message */
    const onMessage = (message) => {
      if (!predicate(message)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    /** @param {number | null} code */
    const onExit = (code) => {
      clearTimeout(timer);
      reject(new Error(`target exited (${code})`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * @param {string} lang
 * @param {'process' | 'container'} workerKind
 * @returns {Promise<Target>}
 */
async function startLbuild(lang, workerKind) {
  /** @type {Pick<Target, 'initDurations' | 'scan' | 'onLine'>} */
  const target = { initDurations: [] };
  // Container workers run the offline stand-in images unless told otherwise (no registry here).
  const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };
  const child = fork(
    join(here, 'target-lbuild.mjs'),
    [join(work, 'invoke', `lbuild-${lang}`), workerKind],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env },
  );
  drain(child, target);
  const info = await waitMessage(child, (m) => m.gatewayUrl);
  const pid = /** @type {number} */ (child.pid); // set: the process answered
  return Object.assign(target, {
    pid,
    url: `${info.gatewayUrl}/hello`,
    invokeUrl: `${info.invokeUrl}/2015-03-31/functions/${info.functionName}/invocations`,
    rssRoots: () => [pid, ...(workerKind === 'container' ? containerPids(pid) : [])],
    async recycle() {
      child.send('reap');
      await waitMessage(child, (m) => m.reaped !== undefined);
    },
    async stop() {
      if (!child.connected) return;
      child.send('close');
      await waitMessage(child, (m) => m.closed, 60_000).catch(() => child.kill('SIGKILL'));
    },
  });
}

/** @returns {Promise<Target>} */
async function startFloor() {
  const child = fork(join(here, 'target-floor.mjs'), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const info = await waitMessage(child, (m) => m.url);
  const pid = /** @type {number} */ (child.pid); // set: the process answered
  return {
    pid,
    url: /** @type {string} */ (info.url),
    initDurations: [],
    rssRoots: () => [pid],
    async stop() {
      child.kill('SIGTERM');
    },
  };
}

/**
 * @param {string} lang
 * @returns {Promise<Target>}
 */
async function startServerlessOffline(lang) {
  const [httpPort, lambdaPort, websocketPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  /** @type {Pick<Target, 'initDurations' | 'scan' | 'onLine'>} */
  const target = { initDurations: [] };
  const child = spawn(
    process.execPath,
    [
      join(peerDir, 'node_modules/serverless/bin/serverless.js'),
      'offline',
      'start',
      '--httpPort',
      String(httpPort),
      '--lambdaPort',
      String(lambdaPort),
      '--websocketPort',
      String(websocketPort),
    ],
    {
      cwd: join(peerDir, `svc-${lang}`),
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        SLS_DEPRECATION_DISABLE: '*',
        FORCE_COLOR: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  /** @type {Promise<void>} */
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('serverless-offline did not start within 120 s')),
      120_000,
    );
    target.onLine = (line) => {
      if (/Server ready/i.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.once('exit', (code) => reject(new Error(`serverless-offline exited (${code})`)));
  });
  drain(child, target);
  // serverless writes its banner to stderr; scan both.
  child.stderr.on(
    'data',
    (chunk) => /Server ready/i.test(chunk.toString()) && target.onLine?.('Server ready'),
  );
  await ready;
  const pid = /** @type {number} */ (child.pid); // set: the process answered
  return Object.assign(target, {
    pid,
    url: `http://127.0.0.1:${httpPort}/hello`,
    invokeUrl: `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/bench${lang}-dev-hello/invocations`,
    rssRoots: () => [pid],
    async stop() {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(5_000)]);
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Measurements.

/** @type {import('./lib/load.mjs').ResponseCheck} */
const okHello = (r) => r.statusCode === 200 && r.body === 'hello';
/** @type {import('./lib/load.mjs').ResponseCheck} */
const okInvoke = (r) => r.statusCode === 200 && r.body.includes('hello');

/**
 * A load phase that also records the CPU the machine spent on other work meanwhile.
 * @param {Target} target its roots set for the current phase
 * @param {Parameters<typeof runLoad>[0]} options
 * @returns {Promise<LoadRun>}
 */
async function load(target, options) {
  const meter = foreignCpuMeter(() => /** @type {number[]} */ (target.roots));
  const run = await runLoad(options);
  return Object.assign(run, meter());
}

/**
 * Phase 1, one target at a time: start it, cold starts, warm latency.
 * @param {Spec} spec
 * @returns {Promise<Result>}
 */
async function coldAndLatency(spec) {
  log(`== ${spec.label}: starting`);
  // Filled in below and by the later phases, in the order the JSON report shows.
  /** @type {Result['rounds']} */
  const rounds = { 1: [], 2: [], 8: [] };
  const result = /** @type {Result} */ ({ spec, loadBefore: loadAverage(), tp: {}, rounds });
  const target = await spec.start();
  result.target = target;
  if (spec.cold) {
    const first = await timedRequest(target.url);
    if (!okHello(first))
      throw new Error(
        `${spec.label}: first request answered ${first.statusCode} ${first.body.slice(0, 200)}`,
      );
    result.firstMs = first.ms;
    if (target.recycle) {
      const walls = [];
      for (let i = 0; i < phase.coldRuns; i++) {
        await target.recycle();
        walls.push((await timedRequest(target.url)).ms);
      }
      await sleep(50); // the REPORT line of the last cold start
      result.coldWallMs = median(walls);
      result.initMs =
        target.initDurations.length > 1
          ? median(target.initDurations.slice(1))
          : target.initDurations[0];
    }
  }
  target.roots = target.rssRoots();
  target.scan = false; // from here on the output is only drained
  log(`${spec.label}: warm latency`);
  result.gw = await load(target, {
    url: target.url,
    concurrency: 1,
    durationMs: phase.latencyMs,
    maxRequests: phase.latencyMax,
    warmupRequests: 200,
    check: okHello,
  });
  if (target.invokeUrl) {
    result.inv = await load(target, {
      url: target.invokeUrl,
      method: 'POST',
      body: '{}',
      concurrency: 1,
      durationMs: phase.latencyMs,
      maxRequests: phase.latencyMax,
      warmupRequests: 200,
      check: okInvoke,
    });
  }
  result.loadAfter = loadAverage();
  return result;
}

/**
 * Phase 2, interleaved: every target in turn, `rounds` times, so a burst of other work on a shared
 * machine hits all of them alike; each level reports its best round (the least disturbed one).
 * @param {Result[]} results
 */
async function throughputRounds(results) {
  for (let round = 1; round <= phase.rounds; round++) {
    for (const result of results) {
      const { target, spec } = result;
      log(`${spec.label}: throughput round ${round}/${phase.rounds}`);
      target.roots = target.rssRoots();
      for (const c of levels)
        result.rounds[c].push(
          await load(target, {
            url: target.url,
            concurrency: c,
            durationMs: phase.throughputMs,
            warmupRequests: 50,
            check: okHello,
          }),
        );
    }
  }
  for (const result of results)
    for (const c of levels)
      result.tp[c] = /** @type {LoadRun} */ (
        [...result.rounds[c]].sort((a, b) => b.rps - a.rps)[0]
      );
}

/**
 * Phase 3, one target at a time: the long run with memory samples; then the target stops.
 * @param {Result} result
 */
async function longRun(result) {
  const { target, spec } = result;
  try {
    if (!spec.long) return;
    log(`${spec.label}: ${phase.longMs / 1000} s run at c=2`);
    const roots = target.rssRoots();
    target.roots = roots;
    /** @type {RssSample[]} */
    const samples = [];
    // Memory and CPU of the target (with its workers) each second: CPU per request does not depend
    // on how much of the machine other work takes, so it shows a slowdown that throughput may hide.
    const sample = () => samples.push({ ...treeRssMb(roots), cpuMs: treeCpuMs(roots) });
    const loadStart = loadAverage();
    const run = load(target, {
      url: target.url,
      concurrency: 2,
      durationMs: phase.longMs,
      warmupRequests: 10,
      check: okHello,
    });
    sample();
    const timer = setInterval(sample, 1_000);
    const finished = await run;
    clearInterval(timer);
    sample();
    result.long = Object.assign(finished, {
      rss: samples,
      load: `${loadStart} → ${loadAverage()}`,
    });
  } finally {
    await target.stop();
    target.stopped = true;
    log(`${spec.label}: done`);
  }
}

// ---------------------------------------------------------------------------------------------

writeProjects();
/** @type {Spec[]} */
const allSpecs = [
  {
    id: 'floor',
    label: 'bare node:http (floor)',
    lang: '-',
    start: startFloor,
    cold: false,
    long: false,
  },
  {
    id: 'node-process',
    label: 'lbuild Node, process workers',
    lang: 'node',
    kind: 'process',
    start: () => startLbuild('node', 'process'),
    cold: true,
    long: true,
  },
  {
    id: 'node-container',
    label: 'lbuild Node, container workers',
    lang: 'node',
    kind: 'container',
    start: () => startLbuild('node', 'container'),
    cold: true,
    long: true,
  },
  {
    id: 'node-sls',
    label: 'serverless-offline Node (worker threads)',
    lang: 'node',
    kind: 'peer',
    start: () => startServerlessOffline('node'),
    cold: true,
    long: true,
  },
  {
    id: 'python-process',
    label: 'lbuild Python, process workers',
    lang: 'python',
    kind: 'process',
    start: () => startLbuild('python', 'process'),
    cold: true,
    long: true,
  },
  {
    id: 'python-container',
    label: 'lbuild Python, container workers',
    lang: 'python',
    kind: 'container',
    start: () => startLbuild('python', 'container'),
    cold: true,
    long: true,
  },
  {
    id: 'python-sls',
    label: 'serverless-offline Python',
    lang: 'python',
    kind: 'peer',
    start: () => startServerlessOffline('python'),
    cold: true,
    long: true,
  },
];
const specs = allSpecs.filter((s) => !only || only.includes(s.id));
if (specs.some((s) => s.kind === 'peer')) ensurePeer();
const versions = specs.some((s) => s.kind === 'peer') ? peerVersions() : undefined;

const started = performance.now();
const loadAtStart = loadAverage();
/** @type {Result[]} */
const results = [];
try {
  for (const spec of specs) results.push(await coldAndLatency(spec));
  await throughputRounds(results);
  for (const result of results) await longRun(result);
} finally {
  for (const result of results)
    if (!result.target.stopped) await result.target.stop().catch(() => {});
}
const loadAtEnd = loadAverage();

// ---------------------------------------------------------------------------------------------
// Report.

/**
 * @param {Result} r
 * @param {Concurrency} c
 */
const medianRps = (r, c) => {
  const xs = r.rounds[c].map((x) => x.rps).sort((a, b) => a - b);
  return xs[Math.floor((xs.length - 1) / 2)];
};
/** @param {number | undefined} x microseconds */
const us = (x) =>
  x === undefined || Number.isNaN(x)
    ? 'n/a'
    : x >= 10_000
      ? `${(x / 1000).toFixed(1)} ms`
      : `${Math.round(x)} µs`;
/** @param {number | undefined} x */
const ms = (x) => (x === undefined ? 'n/a' : `${x.toFixed(1)} ms`);
/** @param {number | undefined} x */
const rps = (x) => (x === undefined ? 'n/a' : Math.round(x).toLocaleString('en-US'));
/** @param {string} id */
const by = (id) => results.find((r) => r.spec.id === id);
/**
 * Target CPU (with workers) per request over the first or last window of the long run.
 * @param {LongRun} long
 * @param {'first' | 'last'} from
 */
const windowCpuUs = (long, from) => {
  const secs = long.perSecond.length;
  const w = Math.min(phase.window, Math.floor(secs / 2));
  const [a, b] = from === 'first' ? [0, w] : [secs - w - 1, secs - 1];
  /** @param {number} i a second of the run, clamped into the samples */
  const sampleAt = (i) => /** @type {RssSample} */ (long.rss[Math.min(i, long.rss.length - 1)]);
  const cpu = sampleAt(b).cpuMs - sampleAt(a).cpuMs;
  const requests = long.perSecond.slice(a, b).reduce((x, y) => x + y, 0);
  return (cpu * 1000) / Math.max(1, requests);
};
/**
 * @param {LongRun} long
 * @param {'first' | 'last'} from
 */
const windowRps = (long, from) => {
  const secs = long.perSecond.length;
  const w = Math.min(phase.window, Math.floor(secs / 2));
  const slice =
    from === 'first' ? long.perSecond.slice(0, w) : long.perSecond.slice(secs - w - 1, secs - 1); // the last second is partial
  return slice.reduce((a, b) => a + b, 0) / Math.max(1, slice.length);
};

/** @type {string[]} */
const out = [];
const p = (line = '') => out.push(line);
p(
  `## bench/invoke — hello world through lbuild's emulator vs the floor and serverless-offline (${quick ? 'quick' : 'full'} run)`,
);
p();
p(
  `Machine: ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, Node ${process.versions.node}, Python ${execFileSync('python3', ['-c', 'import sys;print("%d.%d.%d"%sys.version_info[:3])'], { encoding: 'utf8' }).trim()}` +
    `${versions ? `, serverless ${versions.serverless} + serverless-offline ${versions.offline}` : ''}. Load average (1/5/15 min): ${loadAtStart} at start, ${loadAtEnd} at end; per target below.`,
);
p(
  'Each target runs in its own process; load generator: undici Pool, closed loop, per-request process.hrtime. lbuild functions use the default concurrency (4 workers) and render their logs to stdout, as `lbuild serve` does.',
);
p(
  '"Other work" is CPU the machine spent outside the benchmark\'s processes during the phase (in cores, of 2): other users of a shared machine. Numbers taken while it is high are depressed.',
);
p();
p('### Warm latency (concurrency 1) and cold start');
p();
p(
  '| target | gateway p50 | gateway p99 | Invoke API p50 | Invoke API p99 | first request (cold) | cold start: Init Duration / request (median of 3) | load avg before → after | other work (cores) |',
);
p('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const cold = r.initMs !== undefined ? `${ms(r.initMs)} / ${ms(r.coldWallMs)}` : 'n/a';
  p(
    `| ${r.spec.label} | ${us(r.gw?.p50us)} | ${us(r.gw?.p99us)} | ${us(r.inv?.p50us)} | ${us(r.inv?.p99us)} | ${ms(r.firstMs)} | ${cold} | ${r.loadBefore} → ${r.loadAfter} | ${r.gw.foreignCores.toFixed(2)} |`,
  );
}
p();
p(
  `### Throughput through the gateway (req/s; ${phase.throughputMs / 1000} s per level, targets interleaved, best of ${phase.rounds} rounds)`,
);
p();
p(
  '| target | c=1 | c=2 | c=8 | median of rounds c=1/2/8 | p50 at c=2 | p50 at c=8 | CPU per request at c=2 (all bench processes) | other work in the best rounds (cores, c=1/2/8) | errors |',
);
p('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const errors = levels.reduce((a, c) => a + r.rounds[c].reduce((x, y) => x + y.errors, 0), 0);
  const medians = levels.map((c) => rps(medianRps(r, c))).join(' / ');
  const cpu = r.tp[2] ? `${Math.round((r.tp[2].benchCores * 1e6) / r.tp[2].rps)} µs` : 'n/a';
  const foreign = levels.map((c) => (r.tp[c] ? r.tp[c].foreignCores.toFixed(2) : '-')).join(' / ');
  p(
    `| ${r.spec.label} | ${rps(r.tp[1]?.rps)} | ${rps(r.tp[2]?.rps)} | ${rps(r.tp[8]?.rps)} | ${medians} | ${us(r.tp[2]?.p50us)} | ${us(r.tp[8]?.p50us)} | ${cpu} | ${foreign} | ${errors} |`,
  );
}
p();
p(
  `### ${phase.longMs / 1000} s run at concurrency 2 (RSS = target process + its worker processes/containers)`,
);
p();
p(
  `| target | req/s first ${phase.window} s | req/s last ${phase.window} s | change | target CPU per request first / last ${phase.window} s | RSS start | RSS end | growth | processes | load avg | other work (cores) |`,
);
p('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const long = r.long;
  if (!long) continue;
  const first = windowRps(long, 'first');
  const last = windowRps(long, 'last');
  const rss = long.rss;
  // longRun samples before and after the run: there is a first and a last sample.
  const startSample = /** @type {RssSample} */ (rss[0]);
  const endSample = /** @type {RssSample} */ (rss[rss.length - 1]);
  const rs = startSample.mb;
  const re = endSample.mb;
  const cpuFirst = windowCpuUs(long, 'first');
  const cpuLast = windowCpuUs(long, 'last');
  r.longSummary = {
    first,
    last,
    change: last / first - 1,
    growth: re / rs - 1,
    cpuChange: cpuLast / cpuFirst - 1,
  };
  p(
    `| ${r.spec.label} | ${rps(first)} | ${rps(last)} | ${((last / first - 1) * 100).toFixed(1)}% | ${Math.round(cpuFirst)} / ${Math.round(cpuLast)} µs | ${rs.toFixed(0)} MB | ${re.toFixed(0)} MB | ${((re / rs - 1) * 100).toFixed(1)}% | ${endSample.processes} | ${long.load} | ${long.foreignCores.toFixed(2)} |`,
  );
}
p();

// Targets.
/** @type {string[]} */
const rows = [];
/**
 * @param {string} what
 * @param {string} value
 * @param {string} goal
 * @param {boolean | 'context' | undefined} met
 */
const target = (what, value, goal, met) =>
  rows.push(
    `| ${what} | ${value} | ${goal} | ${met === undefined ? 'not measured' : met === 'context' ? 'context' : met ? 'met' : 'missed'} |`,
  );
const np = by('node-process');
const ns = by('node-sls');
const pp = by('python-process');
const ps = by('python-sls');
const nc = by('node-container');
const pc = by('python-container');
const floor = by('floor');
if (np) {
  target(
    'Node process workers, c=2',
    `${rps(np.tp[2].rps)} req/s`,
    '≥ 3,000 req/s',
    np.tp[2].rps >= 3000,
  );
  // The absolute goal was set on a machine whose loopback floor was 15,000-28,000 req/s; this ratio travels between machines.
  if (floor)
    target(
      'Node process workers, c=2, share of the floor at c=2',
      `${((100 * np.tp[2].rps) / floor.tp[2].rps).toFixed(1)}% (floor ${rps(floor.tp[2].rps)} req/s)`,
      '3,000 of 15,000-28,000 = 11-20% where the goal was set',
      'context',
    );
  if (ns)
    target(
      'Node process workers vs serverless-offline (c=2)',
      `${(np.tp[2].rps / ns.tp[2].rps).toFixed(2)}x (${rps(ns.tp[2].rps)} req/s)`,
      '≥ 2.5x',
      np.tp[2].rps / ns.tp[2].rps >= 2.5,
    );
  if (np.longSummary) {
    target(
      `Node process workers, ${phase.longMs / 1000} s: throughput change (CPU per request change)`,
      `${(np.longSummary.change * 100).toFixed(1)}% (${(np.longSummary.cpuChange * 100).toFixed(1)}%)`,
      '> -10%',
      np.longSummary.change > -0.1,
    );
    target(
      `Node process workers, ${phase.longMs / 1000} s: memory growth`,
      `${(np.longSummary.growth * 100).toFixed(1)}%`,
      '< 20%',
      np.longSummary.growth < 0.2,
    );
  }
}
if (pp && ps)
  target(
    'Python process workers vs serverless-offline Python (c=2)',
    `${rps(pp.tp[2].rps)} vs ${rps(ps.tp[2].rps)} req/s`,
    '≥ serverless-offline',
    pp.tp[2].rps >= ps.tp[2].rps,
  );
if (nc)
  target(
    'Node container workers, c=2',
    `${rps(nc.tp[2].rps)} req/s`,
    '≥ 2,000 req/s',
    nc.tp[2].rps >= 2000,
  );
for (const r of [np, pp])
  if (r) {
    const inv = /** @type {LoadRun} */ (r.inv); // lbuild targets have an Invoke API
    target(
      `${r.spec.label}: warm p50 (gateway / Invoke API)`,
      `${us(r.gw.p50us)} / ${us(inv.p50us)}`,
      '≤ 1 ms',
      Math.max(r.gw.p50us, inv.p50us) <= 1000,
    );
  }
for (const r of [nc, pc])
  if (r) {
    const inv = /** @type {LoadRun} */ (r.inv); // lbuild targets have an Invoke API
    target(
      `${r.spec.label}: warm p50 (gateway / Invoke API)`,
      `${us(r.gw.p50us)} / ${us(inv.p50us)}`,
      '≤ 2 ms',
      Math.max(r.gw.p50us, inv.p50us) <= 2000,
    );
  }
if (rows.length > 0) {
  p('### Targets');
  p();
  p('| target | measured | goal | status |');
  p('| --- | --- | --- | --- |');
  for (const row of rows) p(row);
  p();
}
p(`Total bench time: ${((performance.now() - started) / 1000).toFixed(0)} s.`);
console.log(`\n${out.join('\n')}`);
if (process.env.BENCH_JSON)
  writeFileSync(
    process.env.BENCH_JSON,
    JSON.stringify(
      results,
      (k, v) => (k === 'spec' ? { id: v.id, label: v.label } : k === 'target' ? undefined : v),
      2,
    ),
  );
