/**
 * The wheel folders this repository's tests use instead of PyPI (scripts/debian-wheels.mjs): real
 * wheels whose RECORD hashes hold, that a real pip in each offline build image installs with
 * --no-index, with the frameworks importing afterwards.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { WorkContainer } from '../../../src/docker/container.js';
import { tarBuffer } from '../../../src/package/tar-files.js';
import { lbuildBuildImage } from '../../../src/runtimes/images.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import { ensureDebianWheels } from '../../../scripts/debian-wheels.mjs';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { listZip, readZipEntry } from '../../support/zip-inspect.js';

const gate = await dockerGate();

/** Version of a distribution in the folder, read from its wheel's file name. */
const versionIn = (wheels: string[], name: string) =>
  wheels.find((w) => w.startsWith(`${name}-`))?.split('-')[1];

const urlsafeSha256 = (bytes: Buffer) =>
  createHash('sha256').update(bytes).digest('base64url').replace(/=+$/, '');

describe.skipIf(gate.skipReason)('Debian wheel folders (test-only stand-in for PyPI)', () => {
  let docker: Docker;
  beforeAll(async () => {
    docker = await requireDocker();
  });

  it('makes wheels whose RECORD lists every file with its sha256 and size', async () => {
    const { folder, wheels } = await ensureDebianWheels('trixie');
    for (const wheel of ['flask', 'markupsafe'].map((n) => wheels.find((w) => w.startsWith(n))!)) {
      const path = join(folder, wheel);
      const entries = (await listZip(path)).map((e) => e.name).filter((n) => !n.endsWith('/'));
      const distInfo = entries.find((n) => n.endsWith('.dist-info/RECORD'))!.split('/')[0]!;
      const record = (await readZipEntry(path, `${distInfo}/RECORD`)).toString().trim().split('\n');
      expect(record.map((line) => line.split(',')[0]).sort()).toEqual([...entries].sort());
      for (const line of record.filter((l) => !l.endsWith(',,'))) {
        const [name, hash, size] = line.split(',');
        const bytes = await readZipEntry(path, name!);
        expect(hash, name).toBe(`sha256=${urlsafeSha256(bytes)}`);
        expect(Number(size), name).toBe(bytes.length);
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
