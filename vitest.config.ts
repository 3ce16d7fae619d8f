import { defineConfig } from 'vitest/config';

// Tests name the package sources they use. The machine's own pip settings would otherwise be
// shipped into every Python build a test makes (some machines set PIP_FIND_LINKS to a folder
// holding a 190 MB wheel) and make results depend on the machine.
for (const name of ['PIP_FIND_LINKS', 'PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_CONFIG_FILE'])
  delete process.env[name];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Docker tests build images and containers; they share one engine, so run files one at a time
    // to keep timings honest on a 2-core machine.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
