/**
 * `package.slim` for Node: docs and node-gyp intermediates leave node_modules, the addon is
 * stripped and require()d inside the build container, and the slimmed zip still runs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { loadProject } from '../../../src/config/load.js';
import { WorkContainer } from '../../../src/docker/container.js';
import { packageProject } from '../../../src/package/package-project.js';
import { offlineImage } from '../../../src/runtimes/images.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import { lbuildContainers } from '../../support/docker.js';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { copyFixture } from '../../support/fixtures.js';
import { listZip, zipToTar } from '../../support/zip-inspect.js';

const gate = await dockerGate();

describe.skipIf(gate.skipReason)('lbuild package --slim: Node with a native addon', () => {
  let docker: Docker;
  let dir: string;
  const outDir = mkdtempSync(join(tmpdir(), 'lbuild-slim-node-'));

  beforeAll(async () => {
    docker = await requireDocker();
    dir = copyFixture('node-native');
  });

  it('removes docs and build intermediates, keeps licences, strips and loads the addon, and the zip runs', async () => {
    const plain = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      out: join(outDir, 'plain.zip'),
    });
    const slim = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      slim: true,
      out: join(outDir, 'slim.zip'),
    });
    expect(slim.stages.install).toBeUndefined();
    expect(slim.slim).toMatchObject({ cache: 'miss', skipped: [] });
    expect(slim.slim!.strippedFiles + slim.slim!.skipped.length).toBeLessThanOrEqual(1);
    expect(slim.unzippedBytes).toBe(plain.unzippedBytes - slim.slim!.bytesSaved);

    const names = (await listZip(slim.zip)).map((e) => e.name);
    expect(names).toContain('node_modules/addon/build/Release/addon.node');
    expect(names).toContain('node_modules/is-number/LICENSE');
    expect(names).toContain('node_modules/is-number/index.js');
    expect(
      names.filter(
        (n) =>
          n.endsWith('README.md') ||
          n.includes('obj.target') ||
          n.includes('/.deps/') ||
          n.endsWith('Makefile'),
      ),
    ).toEqual([]);
    expect(await lbuildContainers(docker)).toEqual([]);

    const run = await WorkContainer.start(docker, {
      image: offlineImage(findRuntime('nodejs18.x'), 'run', 'x86_64'),
      role: 'probe',
    });
    try {
      await run.putArchive(await zipToTar(slim.zip, 'tmp/task'), '/');
      const result = await run.exec([
        'node',
        '-e',
        "require('/tmp/task/index.js').handler({a: 40, b: 2}).then((r) => console.log(JSON.stringify(r)))",
      ]);
      expect(result.exitCode, result.output).toBe(0);
      expect(JSON.parse(result.output.trim())).toMatchObject({
        sum: 42,
        isNumber: true,
        arch: 'x64',
      });
    } finally {
      await run.remove();
    }
  });
});
