/**
 * `lbuild package` end to end on a real engine with the offline stand-in images: a local source
 * package with a C extension is compiled in the build container, and the zip runs in the run image.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { loadProject } from '../../../src/config/load.js';
import { WorkContainer } from '../../../src/docker/container.js';
import { BuildError } from '../../../src/errors.js';
import { packageProject } from '../../../src/package/package-project.js';
import { offlineImage } from '../../../src/runtimes/images.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import { tarBuffer } from '../../../src/package/tar-files.js';
import { containersCreatedSince, lbuildContainers } from '../../support/docker.js';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { copyFixture } from '../../support/fixtures.js';
import { elfMachine, listZip, readZipEntry } from '../../support/zip-inspect.js';

const gate = await dockerGate();

describe.skipIf(gate.skipReason)('lbuild package: Python with a C extension', () => {
  let docker: Docker;
  let dir: string;
  let firstSha: string;

  beforeAll(async () => {
    docker = await requireDocker();
    dir = copyFixture('python-native');
    writeFileSync(join(dir, '.env'), 'DATABASE_PASSWORD=hunter2\n');
    writeFileSync(join(dir, '.env.production'), 'API_KEY=secret\n');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config'), '[core]\n');
  });

  it('compiles the extension for Linux x86-64 in the container and keeps secrets out', async () => {
    const since = Date.now() / 1000;
    const report = await packageProject(loadProject(dir), { imageSource: 'offline', docker });
    firstSha = report.sha256;
    expect(report.cache).toBe('miss');
    expect(report.zip).toBe(join(dir, '.lbuild', 'dist', 'python-native.zip'));

    const names = (await listZip(report.zip)).map((e) => e.name);
    const so = names.find((n) => /^fastmath\.cpython-311-x86_64-linux-gnu\.so$/.test(n));
    expect(so, `zip entries: ${names.join(', ')}`).toBeDefined();
    expect(elfMachine(await readZipEntry(report.zip, so!))).toEqual({ elf: true, machine: 62 });
    expect(names).toContain('app.py');
    expect(
      names.filter((n) => n.startsWith('.env') || n.startsWith('.git') || n.startsWith('vendor/')),
    ).toEqual([]);
    expect(report.files).toBe(names.length);
    expect(report.largest.length).toBeGreaterThan(0);
    expect(await lbuildContainers(docker)).toEqual([]);
    // Build containers are named after the project, not Docker's random names.
    const builds = await containersCreatedSince(docker, since, process.pid, 'build');
    expect(builds.length).toBeGreaterThan(0);
    for (const name of builds) expect(name).toMatch(/^lbuild-python-native-build-[0-9a-f]{6}$/);
  });

  it('runs in the stand-in run image: the handler imports and calls the compiled code', async () => {
    const zipPath = join(dir, '.lbuild', 'dist', 'python-native.zip');
    const run = await WorkContainer.start(docker, {
      image: offlineImage(findRuntime('python3.11'), 'run', 'x86_64'),
      role: 'probe',
    });
    try {
      await run.putArchive(
        await tarBuffer([
          { name: 'tmp/function.zip', content: readFileSync(zipPath), executable: false },
        ]),
        '/',
      );
      const result = await run.exec([
        'python3',
        '-c',
        "import zipfile,sys,json; zipfile.ZipFile('/tmp/function.zip').extractall('/tmp/task'); sys.path.insert(0,'/tmp/task'); import app; print(json.dumps(app.handler({'a': 40, 'b': 2}, None)))",
      ]);
      expect(result.exitCode, result.output).toBe(0);
      const answer = JSON.parse(result.output.trim().split('\n').pop()!);
      expect(answer).toMatchObject({ sum: 42, machine: 'x86_64' });
      expect(answer.extension).toMatch(/^\/tmp\/task\/fastmath\..*\.so$/);
    } finally {
      await run.remove();
    }
  });

  it('a code-only change is a cache hit: no install stage, no container', async () => {
    appendFileSync(join(dir, 'app.py'), '\n# a code change\n');
    const since = Date.now() / 1000;
    const report = await packageProject(loadProject(dir), { imageSource: 'offline', docker });
    expect(report.cache).toBe('hit');
    expect(report.stages.install).toBeUndefined();
    expect(report.sha256).not.toBe(firstSha);
    // No build (install) container: image builds elsewhere on the shared engine are not this test's concern.
    expect(await containersCreatedSince(docker, since, process.pid, 'build')).toEqual([]);
  });

  it('gives byte-identical zips from two full builds', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'lbuild-repro-'));
    const a = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      noCache: true,
      out: join(outDir, 'a.zip'),
    });
    const b = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      noCache: true,
      out: join(outDir, 'b.zip'),
    });
    expect(a.cache).toBe('miss');
    expect(b.cache).toBe('miss');
    expect(readFileSync(a.zip).equals(readFileSync(b.zip))).toBe(true);
    expect(a.sha256).toBe(b.sha256);
  });

  it('a failing install exits as a build error with pip output, leaving no zip and no container', async () => {
    writeFileSync(join(dir, 'vendor', 'fastmath', 'fastmath.c'), 'this is not C;\n');
    const out = join(dir, 'broken.zip');
    const error = await packageProject(loadProject(dir), {
      imageSource: 'offline',
      docker,
      out,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).exitCode).toBe(1);
    expect((error as BuildError).message).toMatch(/pip install failed/);
    expect((error as BuildError).message).toMatch(/error/i);
    expect(existsSync(out)).toBe(false);
    expect(await lbuildContainers(docker)).toEqual([]);
  });
});
