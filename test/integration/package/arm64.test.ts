/**
 * --arch arm64 through QEMU: the C extension is compiled in the arm64 build stand-in and imports in
 * the arm64 run stand-in. Emulation makes this slow (building the arm64 stand-ins takes ~15 min on
 * 2 cores), so it runs when they exist or LBUILD_TEST_ARM64=1 asks for them to be built.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { loadProject } from '../../../src/config/load.js';
import { WorkContainer } from '../../../src/docker/container.js';
import { imageId } from '../../../src/docker/images.js';
import { ensureStandIns } from '../../../src/images/offline.js';
import { silentReporter } from '../../../src/log.js';
import { packageProject } from '../../../src/package/package-project.js';
import { offlineImage } from '../../../src/runtimes/images.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import { tarBuffer } from '../../../src/package/tar-files.js';
import { lbuildContainers } from '../../support/docker.js';
import { dockerOrUndefined, optInGate } from '../../support/gates.js';
import { copyFixture } from '../../support/fixtures.js';
import { elfMachine, listZip, readZipEntry } from '../../support/zip-inspect.js';

const docker = await dockerOrUndefined();
const present = docker
  ? Boolean(await imageId(docker, offlineImage(findRuntime('python3.11'), 'run', 'arm64'))) &&
    Boolean(await imageId(docker, offlineImage(findRuntime('python3.11'), 'build', 'arm64')))
  : false;
const gate = optInGate(
  present,
  'LBUILD_TEST_ARM64',
  'no arm64 stand-ins (building them takes ~15 min)',
);

describe.skipIf(gate.skipReason)('lbuild package --arch arm64 (QEMU)', () => {
  let engine: Docker;
  beforeAll(async () => {
    engine = docker!;
    if (!present) {
      const runtimes = [findRuntime('python3.11')];
      await ensureStandIns(engine, { runtimes, arch: 'arm64', postgres: false }, silentReporter);
    }
  }, 3_600_000);

  it('compiles an aarch64 .so that imports in the arm64 run image', async () => {
    const dir = copyFixture('python-native');
    const started = performance.now();
    const report = await packageProject(loadProject(dir, { architecture: 'arm64' }), {
      imageSource: 'offline',
      docker: engine,
    });
    const seconds = (performance.now() - started) / 1000;
    expect(report.architecture).toBe('arm64');
    expect(report.audit?.ok).toBe(true);
    const so = (await listZip(report.zip))
      .map((e) => e.name)
      .find((n) => n.startsWith('fastmath.') && n.endsWith('.so'))!;
    expect(so).toMatch(/aarch64-linux-gnu\.so$/);
    expect(elfMachine(await readZipEntry(report.zip, so))).toEqual({ elf: true, machine: 183 });
    console.log(`arm64 full package under QEMU: ${seconds.toFixed(1)} s`);

    const run = await WorkContainer.start(engine, {
      image: offlineImage(findRuntime('python3.11'), 'run', 'arm64'),
      role: 'probe',
      platform: 'linux/arm64',
    });
    try {
      await run.putArchive(
        await tarBuffer([
          { name: 'tmp/function.zip', content: readFileSync(report.zip), executable: false },
        ]),
        '/',
      );
      const result = await run.exec([
        'python3',
        '-c',
        "import zipfile,sys,json; zipfile.ZipFile('/tmp/function.zip').extractall('/tmp/task'); sys.path.insert(0,'/tmp/task'); import app; print(json.dumps(app.handler({'a': 40, 'b': 2}, None)))",
      ]);
      expect(result.exitCode, result.output).toBe(0);
      expect(JSON.parse(result.output.trim().split('\n').pop()!)).toMatchObject({
        sum: 42,
        machine: 'aarch64',
      });
    } finally {
      await run.remove();
    }
    expect(await lbuildContainers(engine)).toEqual([]);
  }, 900_000);
});
