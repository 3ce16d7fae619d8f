import { describe, expect, it } from 'vitest';
import { InstallScriptsSkippedError } from '../../../src/errors.js';
import {
  allowScriptsKey,
  checkInstallScripts,
  skippedInstallScripts,
  type InstallScriptReport,
} from '../../../src/package/install-scripts.js';

type Installed = InstallScriptReport['packages'][number];

const registry = (
  name: string,
  version: string,
  path = `node_modules/${name}`,
  scripts = ['install'],
): Installed => ({
  path,
  name,
  version,
  scripts,
  resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`,
  bundled: false,
});

describe('install scripts npm skipped', () => {
  it('lists the packages whose install-time scripts did not all run, matched by install path', () => {
    const report: InstallScriptReport = {
      packages: [
        registry('bcrypt', '6.0.0'),
        registry('sharp', '0.34.1', 'node_modules/sharp', ['preinstall', 'install']),
        registry('@scope/native', '1.0.0'),
        registry('ran', '1.0.0', 'node_modules/ran', ['preinstall', 'postinstall']),
        // the same name at two places: only the nested copy's script was skipped
        registry('dup', '2.0.0', 'node_modules/dup'),
        registry('dup', '1.0.0', 'node_modules/a/node_modules/dup'),
      ],
      ran: [
        { path: 'node_modules/sharp', event: 'preinstall' },
        { path: 'node_modules/ran', event: 'preinstall' },
        { path: 'node_modules/ran', event: 'postinstall' },
        { path: 'node_modules/dup', event: 'install' },
        { path: '', event: 'postinstall' }, // the project's own script
      ],
    };
    expect(skippedInstallScripts(report).map((s) => [s.path, s.scripts])).toEqual([
      ['node_modules/@scope/native', ['install']],
      ['node_modules/a/node_modules/dup', ['install']],
      ['node_modules/bcrypt', ['install']],
      ['node_modules/sharp', ['install']],
    ]);
  });

  it('has nothing to say when every script ran or nothing has scripts', () => {
    expect(skippedInstallScripts({ packages: [], ran: [] })).toEqual([]);
    expect(
      skippedInstallScripts({
        packages: [registry('bcrypt', '6.0.0')],
        ran: [{ path: 'node_modules/bcrypt', event: 'install' }],
      }),
    ).toEqual([]);
  });

  it('gives the allowScripts key npm 12 matches by', () => {
    expect(allowScriptsKey(registry('bcrypt', '6.0.0'))).toBe('bcrypt@6.0.0');
    expect(allowScriptsKey(registry('@img/sharp', '0.34.1'))).toBe('@img/sharp@0.34.1');
    // a lockfile without registry URLs (omit-lockfile-registry-resolved): npm refuses version pins
    expect(allowScriptsKey({ ...registry('bcrypt', '6.0.0'), resolved: undefined })).toBe('bcrypt');
    expect(allowScriptsKey({ ...registry('addon', '1.0.0'), resolved: 'addon' })).toBe(
      'file:addon',
    );
    expect(allowScriptsKey({ ...registry('addon', '1.0.0'), resolved: 'file:vendor/addon' })).toBe(
      'file:vendor/addon',
    );
    expect(
      allowScriptsKey({
        ...registry('x', '1.0.0'),
        resolved: 'git+ssh://git@github.com/o/x.git#0123abc',
      }),
    ).toBe('git+ssh://git@github.com/o/x.git#0123abc');
    expect(allowScriptsKey({ ...registry('inner', '1.0.0'), bundled: true })).toBeUndefined();
  });

  it('fails with each package, its version and the fix, unless skipping is allowed', () => {
    const report: InstallScriptReport = {
      packages: [
        registry('bcrypt', '6.0.0'),
        registry('better-sqlite3', '12.11.1'),
        { ...registry('inner', '1.0.0', 'node_modules/x/node_modules/inner'), bundled: true },
      ],
      ran: [],
    };
    const warnings: string[] = [];
    let error: unknown;
    try {
      checkInstallScripts(report, false, (w) => warnings.push(w));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InstallScriptsSkippedError);
    const skipped = error as InstallScriptsSkippedError;
    expect(skipped.exitCode).toBe(1);
    expect(skipped.code).toBe('install-scripts-skipped');
    expect(skipped.message).toContain('npm skipped the install scripts of 3 dependencies');
    expect(skipped.message).toContain(
      '  bcrypt@6.0.0 (install)\n  better-sqlite3@12.11.1 (install)\n  inner@1.0.0 (install; bundled',
    );
    expect(skipped.hint).toContain(
      '"allowScripts": { "bcrypt@6.0.0": true, "better-sqlite3@12.11.1": true }',
    );
    expect(skipped.hint).toContain('`npm install-scripts approve bcrypt better-sqlite3`');
    expect(skipped.hint).toContain('package.allowSkippedInstallScripts: true');
    expect(warnings).toEqual([]);

    checkInstallScripts(report, true, (w) => warnings.push(w));
    expect(warnings).toEqual([
      'npm skipped the install scripts of bcrypt@6.0.0, better-sqlite3@12.11.1, inner@1.0.0 (package.allowSkippedInstallScripts): their native builds are not in the zip',
    ]);
  });
});
