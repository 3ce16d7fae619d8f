/**
 * The built CLI: `lbuild package --timings` (and LBUILD_DEBUG=timings) prints the stage table on
 * stderr, the same numbers `--json` reports under `timings`. No dependency file: no engine needed.
 */
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Timings } from '../../src/package/timings.js';

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));

describe('lbuild package --timings', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lbuild-timings-'));
    writeFileSync(join(dir, 'app.py'), 'def handler(event, context):\n    return 1\n');
    writeFileSync(
      join(dir, 'lbuild.json'),
      JSON.stringify({
        name: 't',
        runtime: 'python3.11',
        functions: { fn: { handler: 'app.handler' } },
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the stage table that --json reports', async () => {
    const run = await execa('node', [cli, 'package', dir, '--timings', '--json'], {
      reject: false,
      env: { LBUILD_IMAGE_SOURCE: 'offline' },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const { timings } = JSON.parse(run.stdout) as { timings: Timings };
    const table = run.stderr.slice(run.stderr.indexOf('timings:'));
    for (const stage of timings.stages)
      expect(table).toMatch(new RegExp(`\\n  ${stage.name} +${stage.ms} ms`));
    expect(table).toMatch(new RegExp(`\\n  total +${timings.totalMs} ms +100%`));
  });

  it('prints it for LBUILD_DEBUG=timings, and not without', async () => {
    const withDebug = await execa('node', [cli, 'package', dir], {
      env: { LBUILD_IMAGE_SOURCE: 'offline', LBUILD_DEBUG: 'timings' },
    });
    expect(withDebug.stderr).toContain('timings:');
    expect(withDebug.stderr).toMatch(/\n {2}zip +\d+ ms/);
    const plain = await execa('node', [cli, 'package', dir], {
      env: { LBUILD_IMAGE_SOURCE: 'offline', LBUILD_DEBUG: '' },
    });
    expect(plain.stderr).not.toContain('timings:');
  });
});
