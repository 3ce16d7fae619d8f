/**
 * `package.slim` on a real engine with the offline stand-ins: pip bookkeeping and test folders go,
 * the C extension is stripped inside the build container and still imports, an object that strip
 * would damage is restored and reported, the slimmed tree has its own cache entry, and zips stay
 * byte-identical.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { loadProject } from '../../../src/config/load.js';
import { WorkContainer } from '../../../src/docker/container.js';
import { packageProject } from '../../../src/package/package-project.js';
import type { PackageReport } from '../../../src/package/report.js';
import { offlineImage } from '../../../src/runtimes/images.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import { tarBuffer } from '../../../src/package/tar-files.js';
import { lbuildContainers } from '../../support/docker.js';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { copyFixture } from '../../support/fixtures.js';
import { listZip, readZipEntry } from '../../support/zip-inspect.js';
import { containersOfThisProcessSince, payloadPackage } from './slim-support.js';

const gate = await dockerGate();

const soName = /^fastmath\.cpython-311-x86_64-linux-gnu\.so$/;

describe.skipIf(gate.skipReason)('lbuild package --slim: Python with C extensions', () => {
  let docker: Docker;
  let dir: string;
  let plain: PackageReport;
  let slim: PackageReport;
  const outDir = mkdtempSync(join(tmpdir(), 'lbuild-slim-out-'));

  beforeAll(async () => {
    docker = await requireDocker();
    dir = copyFixture('python-native');
    // A second local package: an extension with a test suite and a payload appended after its ELF
    // data, which it checks at import (as self-extracting modules do); strip drops such trailers.
    payloadPackage(join(dir, 'vendor'));
    writeFileSync(join(dir, 'requirements.txt'), './vendor/fastmath\n./vendor/payload\n');
    plain = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      out: join(outDir, 'plain.zip'),
    });
  });

  it('removes pip bookkeeping and test folders, strips the extension, restores the one strip breaks', async () => {
    slim = await packageProject(loadProject(dir), { imageSource: 'offline', docker, slim: true });
    const report = slim.slim!;
    expect(slim.cache).toBe('hit'); // the unslimmed install is reused
    expect(slim.stages.install).toBeUndefined();
    expect(report.cache).toBe('miss');
    expect(report.strippedFiles).toBe(1);
    expect(report.skipped).toEqual([
      expect.objectContaining({
        path: expect.stringMatching(/^payload\.cpython-311-x86_64-linux-gnu\.so$/),
        reason: 'load-failed',
        detail: expect.stringMatching(/payload trailer missing/),
      }),
    ]);
    expect(report.removedFiles).toBeGreaterThanOrEqual(8); // RECORD, INSTALLER, REQUESTED, direct_url.json x2, tests/
    expect(report.bytesSaved).toBe(report.removedBytes + report.strippedBytes);
    expect(report.strippedBytes).toBeGreaterThan(0);
    expect(slim.unzippedBytes).toBe(plain.unzippedBytes - report.bytesSaved);

    const names = (await listZip(slim.zip)).map((e) => e.name);
    expect(
      names.filter((n) => /RECORD$|INSTALLER$|REQUESTED$|direct_url\.json$|\/tests\//.test(n)),
    ).toEqual([]);
    expect(names.filter((n) => n.endsWith('dist-info/METADATA'))).toHaveLength(2);
    const so = names.find((n) => soName.test(n))!;
    const stripped = await readZipEntry(slim.zip, so);
    const original = await readZipEntry(plain.zip, so);
    expect(stripped.length).toBeLessThan(original.length);
    const payload = names.find((n) => n.startsWith('payload.'))!;
    expect(
      (await readZipEntry(slim.zip, payload)).equals(await readZipEntry(plain.zip, payload)),
    ).toBe(true);
    expect(await lbuildContainers(docker)).toEqual([]);
  });

  it('the slimmed zip runs in the stand-in run image', async () => {
    const run = await WorkContainer.start(docker, {
      image: offlineImage(findRuntime('python3.11'), 'run', 'x86_64'),
      role: 'probe',
    });
    try {
      await run.putArchive(
        await tarBuffer([
          { name: 'tmp/function.zip', content: readFileSync(slim.zip), executable: false },
        ]),
        '/',
      );
      const result = await run.exec([
        'python3',
        '-c',
        "import zipfile,sys,json; zipfile.ZipFile('/tmp/function.zip').extractall('/tmp/task'); sys.path.insert(0,'/tmp/task'); import app, payload; print(json.dumps([app.handler({'a': 40, 'b': 2}, None)['sum'], payload.ok()]))",
      ]);
      expect(result.exitCode, result.output).toBe(0);
      expect(JSON.parse(result.output.trim().split('\n').pop()!)).toEqual([42, true]);
    } finally {
      await run.remove();
    }
  });

  it('a second slim build is a cache hit on the slimmed tree: no container at all', async () => {
    const since = Date.now() / 1000;
    const again = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      slim: true,
      out: join(outDir, 'again.zip'),
    });
    expect(again.cache).toBe('hit');
    expect(again.slim).toMatchObject({
      cache: 'hit',
      strippedFiles: 1,
      bytesSaved: slim.slim!.bytesSaved,
    });
    expect(again.sha256).toBe(slim.sha256);
    expect(await containersOfThisProcessSince(docker, since)).toEqual([]);
  });

  it('gives byte-identical slimmed zips from two full builds', async () => {
    const a = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      slim: true,
      noCache: true,
      out: join(outDir, 'a.zip'),
    });
    const b = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      slim: true,
      noCache: true,
      out: join(outDir, 'b.zip'),
    });
    expect(a.cache).toBe('miss');
    expect(a.slim?.cache).toBe('miss');
    expect(readFileSync(a.zip).equals(readFileSync(b.zip))).toBe(true);
  });
  it('changing the slim lists re-slims from the cached install; --no-slim is the unslimmed tree again', async () => {
    const config = JSON.parse(readFileSync(join(dir, 'lbuild.json'), 'utf8'));
    config.package.slim = { keep: ['*.dist-info/RECORD'], strip: false };
    writeFileSync(join(dir, 'lbuild.json'), JSON.stringify(config));
    const keep = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      out: join(outDir, 'keep.zip'),
    });
    expect(keep.stages.install).toBeUndefined();
    expect(keep.slim).toMatchObject({ cache: 'miss', strippedFiles: 0, skipped: [] });
    const names = (await listZip(keep.zip)).map((e) => e.name);
    expect(names.filter((n) => n.endsWith('RECORD'))).toHaveLength(2);
    const off = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      slim: false,
      out: join(outDir, 'off.zip'),
    });
    expect(off.slim).toBeUndefined();
    expect(off.sha256).toBe(plain.sha256);
  });
});
