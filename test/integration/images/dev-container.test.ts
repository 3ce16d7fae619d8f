/**
 * The README's "use the build image in your own Dockerfile" example, built for real: the
 * dev container compiles the fixture's C extension exactly as `lbuild package` does.
 */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { fixturesDir } from '../../support/fixtures.js';

const gate = await dockerGate();

const dockerfile = fileURLToPath(
  new URL('../../../examples/dev-container/Dockerfile', import.meta.url),
);

describe.skipIf(gate.skipReason)('examples/dev-container/Dockerfile', () => {
  it('builds FROM the lbuild build image and runs the compiled extension', async () => {
    await requireDocker();
    const tag = 'lbuild-test/dev-container:latest';
    await execa('docker', [
      'build',
      '-q',
      '-t',
      tag,
      '--build-arg',
      'INSTALL_ARGS=--no-index --no-build-isolation',
      '-f',
      dockerfile,
      `${fixturesDir}python-native`,
    ]);
    try {
      const run = await execa('docker', [
        'run',
        '--rm',
        tag,
        'python3',
        '-c',
        'import fastmath, app; print(fastmath.add(20, 22), app.handler({}, None)["sum"])',
      ]);
      expect(run.stdout.trim()).toBe('42 5');
    } finally {
      await execa('docker', ['rmi', '-f', tag], { reject: false });
    }
  });
});
