#!/usr/bin/env node
// `npm test`'s runner. Most of the suite's time is spent waiting on the Docker engine (images,
// containers, a database becoming healthy, timeouts that must pass), not on the CPU, so the suite
// runs in two lanes at once: the end-to-end tests (test/e2e, the built CLI; they hold the fixed
// serve ports) with the one CPU-bound file (npm-install-scripts compiles SQLite twice, about 200 s,
// which balances the lanes), and everything else. Inside a lane, files run one at a time (vitest.config.ts), so
// tests never share ports or timings with more than one other file. Fixed ports are assigned per
// file (see each file's header), which is what makes the two lanes safe to overlap.
//
// With arguments (files, -t filters, vitest flags) this is plain `vitest run <args>`, one lane.
// The e2e lane's output is held and printed when it ends, so the two reports do not interleave;
// the other lane reports as it goes.
import { execa } from 'execa';

const vitest = 'node_modules/.bin/vitest';
const args = process.argv.slice(2);

if (args.length > 0) {
  const { exitCode } = await execa(vitest, ['run', ...args], {
    stdio: 'inherit',
    reject: false,
  });
  process.exit(exitCode ?? 1);
}

const cpuBound = 'test/integration/package/npm-install-scripts.test.ts';
const e2e = execa(vitest, ['run', 'test/e2e', cpuBound], {
  all: true,
  reject: false,
  env: { FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
});
// test/serial restarts the Docker engine: scripts/dev.sh runs it alone, after this.
const rest = execa(
  vitest,
  ['run', '--exclude', 'test/e2e/**', '--exclude', 'test/serial/**', '--exclude', cpuBound],
  {
    stdio: 'inherit',
    reject: false,
  },
);
process.stderr.write(
  `▸ test/e2e and ${cpuBound} run beside the other tests; their report follows\n`,
);
const [restResult, e2eResult] = await Promise.all([rest, e2e]);
process.stdout.write(`\n── test/e2e, ${cpuBound} ──\n${e2eResult.all ?? ''}\n`);
const failed = [restResult, e2eResult].some((result) => result.exitCode !== 0);
process.exit(failed ? 1 : 0);
