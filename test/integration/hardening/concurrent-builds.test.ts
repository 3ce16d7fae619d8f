/**
 * Two `lbuild package` runs of one project at the same time (two CI jobs on one runner, a build
 * started while `serve` repackages): both succeed with the same bytes, the zip under the real name
 * is always whole, and the dependency cache ends with one complete entry and no partial files.
 */
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../../support/fixtures.js';
import { dockerGate } from '../../support/gates.js';

const gate = await dockerGate();
const cli = fileURLToPath(new URL('../../../bin/lbuild.js', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };

describe.skipIf(gate.skipReason)('two builds of one project at once', () => {
  it(
    'both succeed with identical zips; cache and output are whole',
    { timeout: 180_000 },
    async () => {
      const dir = copyFixture('python-native');
      const build = () => execa('node', [cli, 'package', dir, '--json'], { env, reject: false });
      const [a, b] = await Promise.all([build(), build()]);
      expect(a.exitCode, a.stderr).toBe(0);
      expect(b.exitCode, b.stderr).toBe(0);
      const reportA = JSON.parse(a.stdout) as { zip: string; sha256: string; cache: string };
      const reportB = JSON.parse(b.stdout) as { zip: string; sha256: string; cache: string };
      expect(reportA.sha256).toBe(reportB.sha256);
      const onDisk = createHash('sha256').update(readFileSync(reportA.zip)).digest('hex');
      expect(onDisk).toBe(reportA.sha256);

      const leftovers = (folder: string) =>
        readdirSync(folder).filter((name) => /\.(tmp|partial)-\d+$/.test(name));
      expect(leftovers(join(dir, '.lbuild', 'dist'))).toEqual([]);
      const cache = join(dir, '.lbuild', 'cache', 'deps');
      expect(leftovers(cache)).toEqual([]);
      expect(readdirSync(cache).filter((name) => name.endsWith('.tar'))).toHaveLength(1);

      // A third build reads that entry: a hit, the same bytes.
      const c = await build();
      expect(c.exitCode, c.stderr).toBe(0);
      const reportC = JSON.parse(c.stdout) as { sha256: string; cache: string };
      expect(reportC.cache).toBe('hit');
      expect(reportC.sha256).toBe(reportA.sha256);
    },
  );
});
