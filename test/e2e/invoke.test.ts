/**
 * `lbuild invoke` as a user runs it (like `zappa invoke`): zero-config, any handler in the package,
 * the REPORT line, and exit 1 on a function error. Runs in a fresh container of the run image.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lbuildContainers } from '../support/docker.js';
import { dockerGate, requireDocker } from '../support/gates.js';
import { copyFixture } from '../support/fixtures.js';

const gate = await dockerGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const env = { LBUILD_IMAGE_SOURCE: 'offline' };

describe.skipIf(gate.skipReason)('lbuild invoke', () => {
  it('zero-config: runs a handler with --runtime and --handler and prints the result and REPORT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbuild-invoke-'));
    writeFileSync(
      join(dir, 'jobs.py'),
      'import os\n\ndef seed(event, context):\n    print("seeding", event["n"])\n    return {"seeded": event["n"], "fn": os.environ["AWS_LAMBDA_FUNCTION_NAME"], "left": context.get_remaining_time_in_millis() > 0}\n',
    );
    const result = await execa(
      'node',
      [
        cli,
        'invoke',
        '--dir',
        dir,
        '--runtime',
        'python3.11',
        '--handler',
        'jobs.seed',
        '--payload',
        '{"n": 3}',
        '--json',
      ],
      { env, reject: false },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({
      status: 'succeeded',
      result: { seeded: 3, fn: 'function', left: true },
    });
    expect(out.logs.join('\n')).toMatch(/seeding 3/);
    expect(out.logs.join('\n')).toMatch(
      /REPORT RequestId: [0-9a-f-]+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 512 MB\tMax Memory Used: \d+ MB\tInit Duration/,
    );
  });

  it('--handler runs any function in the package; a function error exits 1 with its type', async () => {
    const docker = await requireDocker();
    const dir = copyFixture('python-native');
    writeFileSync(
      join(dir, 'tasks.py'),
      'import fastmath\n\ndef add(event, context):\n    return fastmath.add(event["a"], event["b"])\n\ndef boom(event, context):\n    raise ValueError("no such table: items")\n',
    );
    const ok = await execa(
      'node',
      [
        cli,
        'invoke',
        'api',
        '--dir',
        dir,
        '--handler',
        'tasks.add',
        '--payload',
        '{"a": 1, "b": 41}',
        '--json',
      ],
      { env, reject: false },
    );
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).result).toBe(42);

    // The CLI child labels its containers with its own pid: check those, not the test runner's.
    const child = execa('node', [cli, 'invoke', 'api', '--dir', dir, '--handler', 'tasks.boom'], {
      env,
      reject: false,
    });
    const childPid = child.pid!;
    const failed = await child;
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain('✗ api failed (ValueError)');
    expect(failed.stderr).toContain('no such table: items');
    expect(await lbuildContainers(docker, childPid)).toEqual([]);
  });
});
