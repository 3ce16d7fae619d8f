/**
 * The wheel folders this repository's tests use instead of PyPI (scripts/debian-wheels.mjs): real
 * wheels whose RECORD hashes hold, that a real pip in each offline build image installs with
 * --no-index, with the frameworks importing afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { WorkContainer } from '../../../src/docker/container.js';
import { tarBuffer } from '../../../src/package/tar-files.js';
import { lbuildBuildImage } from '../../../src/runtimes/images.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import { ensureDebianWheels } from '../../../scripts/debian-wheels.mjs';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { readZipEntry } from '../../support/zip-inspect.js';

const gate = await dockerGate();

/** Version of a distribution in the folder, read from its wheel's file name. */
const versionIn = (wheels: string[], name: string) =>
  wheels.find((w) => w.startsWith(`${name}-`))?.split('-')[1];

/** Each entry of a zip with its urlsafe sha256 (no padding) and size, as RECORD writes them. */
async function entryDigests(path: string): Promise<Record<string, [string, number]>> {
  const script =
    'import sys, zipfile, hashlib, base64, json\n' +
    'z = zipfile.ZipFile(sys.argv[1])\n' +
    'd = lambda b: base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b"=").decode()\n' +
    'print(json.dumps({i.filename: [d(z.read(i)), i.file_size] for i in z.infolist()}))';
  return JSON.parse((await execa('python3', ['-c', script, path])).stdout);
}

describe.skipIf(gate.skipReason)('Debian wheel folders (test-only stand-in for PyPI)', () => {
  let docker: Docker;
  beforeAll(async () => {
    docker = await requireDocker();
  });

  it('makes wheels whose RECORD lists every file with its sha256 and size', async () => {
    const { folder, wheels } = await ensureDebianWheels('trixie');
    for (const wheel of ['flask', 'markupsafe'].map((n) => wheels.find((w) => w.startsWith(n))!)) {
      const path = join(folder, wheel);
      const digests = await entryDigests(path);
      const recordName = Object.keys(digests).find((n) => n.endsWith('.dist-info/RECORD'))!;
      const distInfo = recordName.split('/')[0]!;
      const record = (await readZipEntry(path, recordName)).toString().trim().split('\n');
      expect(record.map((line) => line.split(',')[0]).sort()).toEqual(Object.keys(digests).sort());
      for (const line of record.filter((l) => !l.endsWith(',,'))) {
        const [name, hash, size] = line.split(',');
        expect([hash, Number(size)], name).toEqual([
          `sha256=${digests[name!]![0]}`,
          digests[name!]![1],
        ]);
      }
      const wheelFile = (await readZipEntry(path, `${distInfo}/WHEEL`)).toString();
      const tag = wheel
        .replace(/\.whl$/, '')
        .split('-')
        .slice(2)
        .join('-');
      expect(wheelFile).toContain(`Tag: ${tag}\n`);
    }
    // MarkupSafe has a C extension: tagged for trixie's CPython 3.13, not py3-none-any.
    expect(wheels.find((w) => w.startsWith('markupsafe-'))).toMatch(
      /-cp313-cp313-linux_x86_64\.whl$/,
    );
  });

  it('reuses a complete folder without starting a container', async () => {
    const again = await ensureDebianWheels('trixie');
    expect(again.cached).toBe(true);
    expect(again.seconds).toBeLessThan(1);
  });

  it.each([
    ['python3.11', 'bookworm'],
    ['python3.13', 'trixie'],
    ['python3.14', 'forky'],
  ] as const)(
    '%s: pip installs Flask, Django and FastAPI offline from the %s folder',
    async (runtimeName, release) => {
      const { folder, wheels } = await ensureDebianWheels(release);
      const flask = versionIn(wheels, 'flask')!;
      const build = await WorkContainer.start(docker, {
        image: lbuildBuildImage(findRuntime(runtimeName), 'x86_64', 'offline'),
        role: 'probe',
      });
      try {
        await build.putArchive(
          await tarBuffer(
            wheels.map((w) => ({
              name: `wheels/${w}`,
              content: readFileSync(join(folder, w)),
              executable: false,
            })),
          ),
          '/tmp',
        );
        const install = await build.exec([
          'python3',
          '-m',
          'pip',
          'install',
          '--root-user-action=ignore',
          '--no-index',
          '--find-links',
          '/tmp/wheels',
          '--target',
          '/tmp/site',
          `flask==${flask}`,
          'django',
          'fastapi',
        ]);
        expect(install.exitCode, install.output).toBe(0);
        const probe = await build.exec(
          [
            'python3',
            '-c',
            'import importlib.metadata as m, flask, django, fastapi, markupsafe._speedups; ' +
              'print(m.version("flask"), django.__version__, fastapi.__version__)',
          ],
          { env: { PYTHONPATH: '/tmp/site' } },
        );
        expect(probe.exitCode, probe.output).toBe(0);
        expect(probe.output.trim().split('\n').at(-1)).toBe(
          [flask, versionIn(wheels, 'django'), versionIn(wheels, 'fastapi')].join(' '),
        );
      } finally {
        await build.remove();
      }
    },
    180_000,
  );
});
