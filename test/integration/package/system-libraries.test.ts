/**
 * package.systemPackages and shared-library bundling on a real engine with the offline python3.11
 * stand-in: a C extension written here links libpq (it returns PQlibVersion()), pip builds it
 * from a local source folder with the headers apt installs (libpq-dev), and the zip carries
 * libpq.so.5 and the libraries it needs in turn in lib/, which Lambda puts on LD_LIBRARY_PATH as
 * /var/task/lib. `lbuild invoke` proves the bundled copy is the one loaded (/proc/self/maps), so
 * the test holds whether or not the run image has a libpq of its own.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import type { AuditReport } from '../../../src/audit/index.js';
import { glibcLibraries, runtimeLibraries } from '../../../src/audit/runtime-libraries.js';
import { loadProject } from '../../../src/config/load.js';
import type { Reporter } from '../../../src/log.js';
import { packageProject } from '../../../src/package/package-project.js';
import type { PackageReport } from '../../../src/package/report.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import { lbuild } from '../../support/cli.js';
import { containersCreatedSince } from '../../support/docker.js';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { listZip } from '../../support/zip-inspect.js';

const gate = await dockerGate();
const env = { LBUILD_IMAGE_SOURCE: 'offline' };
const extension = 'pqext.cpython-311-x86_64-linux-gnu.so';

const setupPy = `import subprocess
from setuptools import Extension, setup

include = subprocess.check_output(["pg_config", "--includedir"], text=True).strip()
setup(
    name="pqext",
    version="1.0",
    ext_modules=[Extension("pqext", ["pqext.c"], include_dirs=[include], libraries=["pq"])],
)
`;

const pqextC = `#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <libpq-fe.h>

static PyObject *lib_version(PyObject *self, PyObject *args) {
  return PyLong_FromLong(PQlibVersion());
}
static PyMethodDef methods[] = {{"lib_version", lib_version, METH_NOARGS, "libpq's version"},
                                {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "pqext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_pqext(void) { return PyModule_Create(&module); }
`;

const appPy = `import pqext


def handler(event, context):
    with open("/proc/self/maps") as maps:
        loaded = sorted({line.split()[-1] for line in maps if "libpq.so" in line})
    return {"version": pqext.lib_version(), "libpq": loaded}
`;

function writeProject(systemPackages: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-syslibs-'));
  mkdirSync(join(dir, 'vendor', 'pqext'), { recursive: true });
  writeFileSync(join(dir, 'vendor', 'pqext', 'setup.py'), setupPy);
  writeFileSync(join(dir, 'vendor', 'pqext', 'pqext.c'), pqextC);
  writeFileSync(join(dir, 'requirements.txt'), './vendor/pqext\n');
  writeFileSync(join(dir, 'app.py'), appPy);
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      name: 'pqapp',
      runtime: 'python3.11',
      functions: { api: { handler: 'app.handler' } },
      package: {
        exclude: ['vendor/'],
        installArgs: ['--no-index', '--no-build-isolation'],
        systemPackages,
      },
    }),
  );
  return dir;
}

const packages = { apt: ['libpq-dev'], yum: ['postgresql-devel'], dnf: ['postgresql15-devel'] };

function recordingReporter(lines: string[]): Reporter {
  return {
    stage: (name, detail) => {
      lines.push(`▸ ${name} ${detail ?? ''}`);
      const start = performance.now();
      return () => performance.now() - start;
    },
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`warning: ${message}`),
    toolOutput: () => {},
  };
}

describe.skipIf(gate.skipReason)(
  'systemPackages + bundled libraries: a C extension on libpq',
  () => {
    let docker: Docker;
    let dir: string;
    let first: PackageReport;

    beforeAll(async () => {
      docker = await requireDocker();
      dir = writeProject(packages);
    });

    it('installs libpq-dev before pip builds the extension, then bundles libpq and its needs into lib/', async () => {
      const progress: string[] = [];
      first = await packageProject(loadProject(dir), {
        imageSource: 'offline',
        docker,
        reporter: recordingReporter(progress),
      });
      expect(first.cache).toBe('miss');
      expect(first.stages.systemPackages).toBeGreaterThan(0);
      expect(progress).toEqual(
        expect.arrayContaining([
          '▸ system packages apt: libpq-dev',
          '  apt-get update',
          '  apt-get install libpq-dev',
        ]),
      );

      const bundled = new Map(first.bundledLibraries!.map((l) => [l.file, l]));
      expect(bundled.get('lib/libpq.so.5')).toMatchObject({
        neededBy: [extension],
        source: expect.stringMatching(/\/libpq\.so\.5$/),
      });
      expect(bundled.get('lib/libssl.so.3')?.neededBy).toContain('lib/libpq.so.5');
      expect(bundled.get('lib/libcrypto.so.3')?.neededBy).toContain('lib/libssl.so.3');

      // The zip's lib/ is exactly what the report lists, at the sizes it gives.
      const entries = await listZip(first.zip);
      const inLib = entries.filter((e) => e.name.startsWith('lib/'));
      expect(inLib.map((e) => e.name).sort()).toEqual([...bundled.keys()].sort());
      for (const entry of inLib) expect(entry.size).toBe(bundled.get(entry.name)!.bytes);
      // Never glibc, its loader, or what the runtime provides.
      const never = new Set([
        ...glibcLibraries,
        ...runtimeLibraries(findRuntime('python3.11'), 'x86_64'),
      ]);
      expect(inLib.filter((e) => never.has(e.name.slice(4)))).toEqual([]);
    });

    it('lbuild audit finds every needed library in the zip; only the stand-in’s glibc is too new', async () => {
      const result = await lbuild(['audit', first.zip, '--runtime', 'python3.11', '--json'], env);
      const audit = JSON.parse(result.stdout) as AuditReport;
      expect(audit.warnings.filter((w) => w.kind === 'missing-library')).toEqual([]);
      // Debian 12's libraries need glibc up to 2.34; Lambda's Amazon Linux 2 has 2.26. The official
      // build image (glibc 2.26) gives libraries that pass; the audit says so truthfully here.
      expect(new Set(audit.errors.map((e) => e.kind))).toEqual(new Set(['glibc-too-new']));
      expect(audit.errors.filter((e) => !e.file.startsWith('lib/'))).toEqual([]);
    });

    it('lbuild invoke runs the handler in the run image, which loads the bundled /var/task/lib/libpq.so.5', async () => {
      const result = await lbuild(['invoke', '--dir', dir, '--payload', '{}', '--json'], env);
      expect(result.exitCode, result.stderr).toBe(0);
      const out = JSON.parse(result.stdout) as { status: string; result: Record<string, unknown> };
      expect(out.status).toBe('succeeded');
      expect(out.result.version).toBeGreaterThanOrEqual(150000); // Debian 12: PostgreSQL 15
      expect(out.result.libpq).toEqual(['/var/task/lib/libpq.so.5']);
    });

    it('a rerun is a cache hit with the same libraries, and no build container', async () => {
      const since = Date.now() / 1000;
      const again = await packageProject(loadProject(dir), {
        imageSource: 'offline',
        docker,
        out: join(mkdtempSync(join(tmpdir(), 'lbuild-syslibs-out-')), 'again.zip'),
      });
      expect(again.cache).toBe('hit');
      expect(again.stages.install).toBeUndefined();
      expect(again.bundledLibraries).toEqual(first.bundledLibraries);
      expect(again.sha256).toBe(first.sha256);
      expect(await containersCreatedSince(docker, since, process.pid, 'build')).toEqual([]);
    });

    it('a full rebuild (--no-cache) gives a byte-identical zip', async () => {
      const rebuilt = await packageProject(loadProject(dir), {
        imageSource: 'offline',
        docker,
        noCache: true,
        out: join(mkdtempSync(join(tmpdir(), 'lbuild-syslibs-out-')), 'rebuilt.zip'),
      });
      expect(rebuilt.cache).toBe('miss');
      expect(readFileSync(rebuilt.zip).equals(readFileSync(first.zip))).toBe(true);
    });

    it('--layer puts the libraries at the layer’s lib/ (/opt/lib), the extension under python/', async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'lbuild-syslibs-layer-')), 'fn.zip');
      const layered = await packageProject(loadProject(dir), {
        imageSource: 'offline',
        docker,
        layer: true,
        out,
      });
      expect(layered.cache).toBe('hit');
      const layer = (await listZip(layered.layer!.zip)).map((e) => e.name);
      expect(layer).toContain('lib/libpq.so.5');
      expect(layer).toContain(`python/${extension}`);
      expect(layer.filter((n) => n.startsWith('python/lib/'))).toEqual([]);
      expect((await listZip(layered.zip)).map((e) => e.name)).toEqual([
        'app.py',
        'requirements.txt',
      ]);
    });

    it('--slim strips the extension: its load check finds libpq in lib/, as Lambda would', async () => {
      const slimmed = await packageProject(loadProject(dir), {
        imageSource: 'offline',
        docker,
        slim: true,
        out: join(mkdtempSync(join(tmpdir(), 'lbuild-syslibs-slim-')), 'slim.zip'),
      });
      expect(slimmed.slim?.skipped).toEqual([]);
      expect(slimmed.slim?.strippedFiles).toBeGreaterThanOrEqual(1);
      expect(slimmed.bundledLibraries).toEqual(first.bundledLibraries);
    });

    it('with --no-bundle-libraries the zip has no lib/, and the audit fails naming libpq.so.5', async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'lbuild-syslibs-off-')), 'off.zip');
      const packaged = await lbuild(
        ['package', dir, '--no-bundle-libraries', '--out', out, '--json'],
        env,
      );
      expect(packaged.exitCode, packaged.stderr).toBe(0);
      const report = JSON.parse(packaged.stdout) as PackageReport;
      expect(report.bundledLibraries).toBeUndefined();
      expect(report.cache).toBe('miss'); // the switch is part of the cache key
      expect((await listZip(out)).filter((e) => e.name.startsWith('lib/'))).toEqual([]);

      const audited = await lbuild(['audit', out, '--runtime', 'python3.11', '--json'], env);
      expect(audited.exitCode).toBe(1);
      const audit = JSON.parse(audited.stdout) as AuditReport;
      expect(audit.ok).toBe(false);
      expect(audit.errors).toContainEqual(
        expect.objectContaining({
          file: extension,
          kind: 'missing-library',
          message:
            'needs libpq.so.5, which neither the package nor python3.11 (Amazon Linux 2) provides (no Lambda base image has it)',
        }),
      );
      expect(audited.stderr).toContain('libpq.so.5');
    });

    it('an unknown system package fails the build, naming the package and the config key', async () => {
      const broken = writeProject({ ...packages, apt: ['libpq-dev', 'libpq-dev-no-such-thing'] });
      const result = await lbuild(['package', broken, '--json'], env);
      expect(result.exitCode).toBe(1);
      const error = JSON.parse(result.stdout) as {
        error: string;
        message: string;
        hint: string;
        details: Record<string, unknown>;
      };
      expect(error).toMatchObject({
        error: 'build-failed',
        message:
          'apt-get does not know the system package "libpq-dev-no-such-thing" (package.systemPackages.apt)',
        details: { manager: 'apt', unknownPackages: ['libpq-dev-no-such-thing'] },
      });
      expect(error.hint).toMatch(/"apt": \[\.\.\.\]/);
      expect(result.stderr).toContain('libpq-dev-no-such-thing');
    });
  },
);
