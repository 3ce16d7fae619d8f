/**
 * `lbuild package --layer`: the dependencies go into a layer zip under python/, the code into a
 * zip of its own, both byte-reproducible; the emulator's container workers mount the layer at /opt
 * the way Lambda does, and the handler imports the compiled extension from there.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { loadProject } from '../../../src/config/load.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { packageProject } from '../../../src/package/package-project.js';
import type { PackageReport } from '../../../src/package/report.js';
import { offlineImage } from '../../../src/runtimes/images.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import { lbuildContainers } from '../../support/docker.js';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { copyFixture } from '../../support/fixtures.js';
import { elfMachine, listZip, readZipEntry } from '../../support/zip-inspect.js';

const gate = await dockerGate();

describe.skipIf(gate.skipReason)('lbuild package --layer: Python with a C extension', () => {
  let docker: Docker;
  let dir: string;
  let report: PackageReport;
  let emulator: Emulator | undefined;
  const outDir = mkdtempSync(join(tmpdir(), 'lbuild-layer-out-'));

  beforeAll(async () => {
    docker = await requireDocker();
    dir = copyFixture('python-native');
  });
  afterAll(async () => emulator?.close());

  it('writes a code-only function zip and a python/ layer zip, and reports both', async () => {
    report = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      layer: true,
      out: join(outDir, 'fn.zip'),
    });
    expect(report.layer).toMatchObject({ zip: join(outDir, 'fn-layer.zip'), prefix: 'python/' });
    const functionNames = (await listZip(report.zip)).map((e) => e.name);
    expect(functionNames).toContain('app.py');
    expect(functionNames.filter((n) => n.endsWith('.so') || n.includes('dist-info'))).toEqual([]);

    const layerNames = (await listZip(report.layer!.zip)).map((e) => e.name);
    const so = layerNames.find((n) =>
      /^python\/fastmath\.cpython-311-x86_64-linux-gnu\.so$/.test(n),
    );
    expect(so, layerNames.join(', ')).toBeDefined();
    expect(layerNames.every((n) => n.startsWith('python/'))).toBe(true);
    expect(elfMachine(await readZipEntry(report.layer!.zip, so!))).toEqual({
      elf: true,
      machine: 62,
    });
    expect(report.layer!.files).toBe(layerNames.length);
    expect(report.totalUnzippedBytes).toBe(report.unzippedBytes + report.layer!.unzippedBytes);
    expect(report.layer!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.audit?.requiredGlibc).toBeDefined(); // the layer's .so was audited too
  });

  it('both zips are byte-identical on a second build with --no-cache', async () => {
    const again = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      layer: true,
      noCache: true,
      out: join(outDir, 'again.zip'),
    });
    expect(again.cache).toBe('miss');
    expect(readFileSync(again.zip).equals(readFileSync(report.zip))).toBe(true);
    expect(readFileSync(again.layer!.zip).equals(readFileSync(report.layer!.zip))).toBe(true);
  });

  it('runs in a container worker with the layer under /opt: sum 42 from /opt/python', async () => {
    const project = loadProject(dir);
    emulator = await startEmulator({
      workerKind: 'container',
      docker,
      runImage: offlineImage(findRuntime('python3.11'), 'run', 'x86_64'),
      functions: project.functions,
      codeDir: dir,
      codeZip: report.zip,
      layers: [report.layer!.zip],
    });
    const outcome = await emulator.invoker.invoke({
      functionName: 'api',
      payload: Buffer.from(JSON.stringify({ a: 40, b: 2 })),
    });
    if (outcome.kind !== 'succeeded')
      throw new Error(`${outcome.kind}:\n${outcome.logs.join('\n')}`);
    expect(JSON.parse(outcome.body.toString())).toMatchObject({
      sum: 42,
      extension: expect.stringMatching(/^\/opt\/python\/fastmath\..*\.so$/),
    });
    await emulator.close();
    expect(await lbuildContainers(docker)).toEqual([]);
  });

  it('process workers refuse layers instead of ignoring them', async () => {
    const error = await startEmulator({
      functions: loadProject(dir).functions,
      codeDir: dir,
      layers: [report.layer!.zip],
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/layers need container workers/);
  });
});
