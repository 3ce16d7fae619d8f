/**
 * A Node project with a node-gyp addon built from local sources plus a dependency from the npm
 * registry. The registry is only reachable through this machine's TLS-inspecting proxy, so the
 * install works only if lbuild forwards the host CA bundle into the build container.
 */
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
import { elfMachine, listZip, readZipEntry, zipToTar } from '../../support/zip-inspect.js';

const gate = await dockerGate();

describe.skipIf(gate.skipReason)(
  'lbuild package: Node with a native addon and an npm dependency',
  () => {
    let docker: Docker;
    let dir: string;

    beforeAll(async () => {
      docker = await requireDocker();
      dir = copyFixture('node-native');
    });

    it('builds the addon in the container and installs from the registry through the forwarded CA', async () => {
      const report = await packageProject(loadProject(dir), { imageSource: 'offline', docker });
      const names = (await listZip(report.zip)).map((e) => e.name);
      expect(names).toContain('index.js');
      expect(names).toContain('node_modules/is-number/index.js');
      expect(names).toContain('node_modules/addon/build/Release/addon.node');
      expect(names.filter((n) => n.startsWith('addon/'))).toEqual([]);
      expect(
        elfMachine(await readZipEntry(report.zip, 'node_modules/addon/build/Release/addon.node')),
      ).toEqual({ elf: true, machine: 62 });
      expect(report.largest.map((c) => c.path)).toContain('node_modules/addon');
      expect(await lbuildContainers(docker)).toEqual([]);

      const run = await WorkContainer.start(docker, {
        image: offlineImage(findRuntime('nodejs18.x'), 'run', 'x86_64'),
        role: 'probe',
      });
      try {
        await run.putArchive(await zipToTar(report.zip, 'tmp/task'), '/');
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
  },
);
