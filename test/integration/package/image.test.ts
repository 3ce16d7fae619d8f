/**
 * `lbuild package --format image`: a Lambda container image from the offline run stand-in, with
 * the compiled dependencies and the code in /var/task and lbuild's bootstrap as ENTRYPOINT (the
 * stand-in has no AWS runtime client). The emulator runs the image as it is; `--save` writes a
 * tar that `docker load` accepts.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { loadProject } from '../../../src/config/load.js';
import { inspectImage } from '../../../src/docker/images.js';
import { startEmulator } from '../../../src/emulator/index.js';
import {
  packageImage,
  type ImagePackageReport,
} from '../../../src/package/image-output/package-image.js';
import { lbuildContainers } from '../../support/docker.js';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { copyFixture } from '../../support/fixtures.js';

const gate = await dockerGate();

describe.skipIf(gate.skipReason)('lbuild package --format image: Python with a C extension', () => {
  let docker: Docker;
  let dir: string;
  let report: ImagePackageReport;
  const tag = `lbuild-test-fn-${process.pid}:latest`;
  const saveTo = join(mkdtempSync(join(tmpdir(), 'lbuild-image-save-')), 'image.tar');

  beforeAll(async () => {
    docker = await requireDocker();
    dir = copyFixture('python-native');
    report = await packageImage(loadProject(dir), {
      imageSource: 'offline',
      docker,
      tag,
      save: saveTo,
      slim: true,
    });
  });
  afterAll(async () => {
    await docker
      ?.getImage(tag)
      .remove({ force: true })
      .catch(() => {});
  });

  it('builds the image on the run image with the code in /var/task, the handler as CMD and dev.lbuild labels', async () => {
    const info = (await inspectImage(docker, tag))!;
    expect(info.Id).toBe(report.image.id);
    expect(report.image.bytes).toBe(info.Size);
    expect(info.Config.Cmd).toEqual(['app.handler']);
    expect(info.Config.Entrypoint).toEqual(['python3', '-B', '/var/runtime/bootstrap.py']);
    expect(info.Config.WorkingDir).toBe('/var/task');
    expect(info.Config.Labels).toMatchObject({
      'dev.lbuild.role': 'function-image',
      'dev.lbuild.project': 'python-native',
      'dev.lbuild.runtime': 'python3.11',
      'dev.lbuild.architecture': 'x86_64',
      'dev.lbuild.handler': 'app.handler',
      'dev.lbuild.base-image': 'lbuild/offline-python3.11-run:bookworm-x86_64',
      'dev.lbuild.content-sha256': report.image.contentSha256,
    });
    expect(report.slim?.strippedFiles).toBe(1);
    expect(report.files).toBeGreaterThanOrEqual(3);
    expect(await lbuildContainers(docker)).toEqual([]);
  });

  it('the emulator runs the image as it is: sum 42 from /var/task', async () => {
    const emulator = await startEmulator({
      workerKind: 'container',
      docker,
      image: tag,
      functions: loadProject(dir).functions,
      codeDir: dir,
    });
    try {
      const outcome = await emulator.invoker.invoke({
        functionName: 'api',
        payload: Buffer.from(JSON.stringify({ a: 40, b: 2 })),
      });
      if (outcome.kind !== 'succeeded')
        throw new Error(`${outcome.kind}:\n${outcome.logs.join('\n')}`);
      expect(JSON.parse(outcome.body.toString())).toMatchObject({
        sum: 42,
        machine: 'x86_64',
        extension: expect.stringMatching(/^\/var\/task\/fastmath\..*\.so$/),
      });
    } finally {
      await emulator.close();
    }
    // The emulator never removes an image it did not build.
    expect(await inspectImage(docker, tag)).toBeDefined();
    expect(await lbuildContainers(docker)).toEqual([]);
  });

  it('--save writes a tar that docker load turns back into the same image', async () => {
    expect(report.saved?.path).toBe(saveTo);
    expect(existsSync(saveTo)).toBe(true);
    await docker.getImage(tag).remove({ force: true });
    expect(await inspectImage(docker, tag)).toBeUndefined();
    const loaded = await execa('docker', ['load', '-i', saveTo]);
    expect(loaded.stdout).toContain(`Loaded image: ${tag}`);
    expect((await inspectImage(docker, tag))?.Id).toBe(report.image.id);
  });
});
