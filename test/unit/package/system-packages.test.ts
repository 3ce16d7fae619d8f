/**
 * package.systemPackages: how lbuild.json's forms resolve, which packages a build image's manager
 * gets, and how an unknown package is recognised in each manager's own words.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/errors.js';
import { selectSystemPackages } from '../../../src/package/system-packages/selection.js';
import { unknownPackages } from '../../../src/package/system-packages/unknown-packages.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import { buildImagePackageManager } from '../../../src/runtimes/images.js';

function load(pkg: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-syspkg-'));
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      runtime: 'python3.11',
      functions: { api: { handler: 'app.handler' } },
      package: pkg,
    }),
  );
  return loadProject(dir);
}

function configPath(pkg: unknown): string {
  try {
    load(pkg);
  } catch (error) {
    if (error instanceof ConfigError) return error.jsonPath;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('package.systemPackages and package.bundleLibraries in lbuild.json', () => {
  it('a list means the same names for every manager; an object names them per manager', () => {
    expect(load({ systemPackages: ['libpq-dev'] }).package.systemPackages).toEqual({
      byManager: { apt: ['libpq-dev'], yum: ['libpq-dev'], dnf: ['libpq-dev'] },
      sameForAll: true,
    });
    expect(
      load({ systemPackages: { dnf: ['postgresql15-devel'], apt: ['libpq-dev'] } }).package
        .systemPackages,
    ).toEqual({
      byManager: { dnf: ['postgresql15-devel'], apt: ['libpq-dev'] },
      sameForAll: false,
    });
    expect(load({}).package).toMatchObject({
      systemPackages: { byManager: {}, sameForAll: false },
      bundleLibraries: true,
    });
    expect(load({ bundleLibraries: false }).package.bundleLibraries).toBe(false);
  });

  it('rejects an unknown manager, an option in disguise and a non-list, naming the path', () => {
    expect(configPath({ systemPackages: { zypper: ['libpq-devel'] } })).toBe(
      'package.systemPackages.zypper',
    );
    expect(configPath({ systemPackages: { apt: ['--allow-unauthenticated'] } })).toBe(
      'package.systemPackages.apt[0]',
    );
    expect(configPath({ systemPackages: ['libpq dev'] })).toBe('package.systemPackages[0]');
    expect(configPath({ systemPackages: 'libpq-dev' })).toBe('package.systemPackages');
    expect(configPath({ bundleLibraries: 'yes' })).toBe('package.bundleLibraries');
  });
});

describe('which packages a build installs', () => {
  it('the stand-ins use apt, Amazon Linux 2 images yum, Amazon Linux 2023 images dnf', () => {
    expect(buildImagePackageManager(findRuntime('python3.11'), 'offline')).toBe('apt');
    expect(buildImagePackageManager(findRuntime('python3.11'), 'aws')).toBe('yum');
    expect(buildImagePackageManager(findRuntime('python3.13'), 'aws')).toBe('dnf');
    expect(buildImagePackageManager(findRuntime('nodejs18.x'), 'aws')).toBe('yum');
    expect(buildImagePackageManager(findRuntime('nodejs24.x'), 'aws')).toBe('dnf');
  });

  it('takes the manager’s list, sorted and without duplicates, and names its config key', () => {
    expect(
      selectSystemPackages(
        { byManager: { apt: ['zlib1g-dev', 'libpq-dev', 'zlib1g-dev'] }, sameForAll: false },
        'apt',
      ),
    ).toEqual({
      selection: {
        manager: 'apt',
        packages: ['libpq-dev', 'zlib1g-dev'],
        configKey: 'package.systemPackages.apt',
      },
      warning: undefined,
    });
    expect(
      selectSystemPackages(
        { byManager: { apt: ['make'], yum: ['make'], dnf: ['make'] }, sameForAll: true },
        'yum',
      ).selection?.configKey,
    ).toBe('package.systemPackages');
    expect(selectSystemPackages({ byManager: {}, sameForAll: false }, 'dnf')).toEqual({
      selection: undefined,
      warning: undefined,
    });
  });

  it('warns when the project names packages for other managers only', () => {
    const { selection, warning } = selectSystemPackages(
      { byManager: { dnf: ['postgresql15-devel'], yum: [] }, sameForAll: false },
      'apt',
    );
    expect(selection).toBeUndefined();
    expect(warning).toBe(
      'package.systemPackages names packages for dnf but none for apt, which the offline Debian stand-ins use: none are installed (add "apt": [...])',
    );
  });
});

describe('unknown packages in each manager’s words', () => {
  it.each([
    [
      'apt-get',
      'Reading package lists...\nBuilding dependency tree...\nE: Unable to locate package libnope-dev\n',
      ['libpq-dev', 'libnope-dev'],
      ['libnope-dev'],
    ],
    [
      'apt-get, virtual package',
      "E: Package 'libmysqlclient-dev' has no installation candidate\n",
      ['libmysqlclient-dev'],
      ['libmysqlclient-dev'],
    ],
    [
      'apt-get, glob',
      "E: Unable to locate package libnope*\nE: Couldn't find any package by glob 'libnope*'\n",
      ['libnope*'],
      ['libnope*'],
    ],
    [
      'yum (Amazon Linux 2)',
      'Loaded plugins: ovl, priorities\nNo package postgresql15-devel available.\nError: Nothing to do\n',
      ['postgresql15-devel', 'gcc'],
      ['postgresql15-devel'],
    ],
    [
      'dnf (Amazon Linux 2023)',
      'Last metadata expiration check: 0:00:01 ago.\nNo match for argument: postgresql-devel\nError: Unable to find a match: postgresql-devel\n',
      ['postgresql-devel'],
      ['postgresql-devel'],
    ],
    [
      'microdnf',
      "(microdnf:1): librhsm-WARNING **: Found 0 entitlement certificates\nerror: No package matches 'libpq-dev'\n",
      ['libpq-dev'],
      ['libpq-dev'],
    ],
    ['a network failure', 'E: Failed to fetch http://deb.debian.org/...\n', ['libpq-dev'], []],
  ])('%s', (_manager, output, requested, unknown) => {
    expect(unknownPackages(output, requested)).toEqual(unknown);
  });
});
