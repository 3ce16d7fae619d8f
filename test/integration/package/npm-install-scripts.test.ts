/**
 * npm's install-script policy with real registry packages (bcrypt, better-sqlite3 12: both have an
 * install script). npm 12 (the nodejs24.x stand-in, Debian forky) skips dependency install scripts
 * that package.json's allowScripts does not cover and still succeeds; lbuild must notice, on a
 * cache hit too, and name the fix. npm 10 still runs them all: shown on the nodejs20.x stand-in.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { loadProject } from '../../../src/config/load.js';
import { WorkContainer } from '../../../src/docker/container.js';
import { InstallScriptsSkippedError } from '../../../src/errors.js';
import { defaultZipPath, packageProject } from '../../../src/package/package-project.js';
import { offlineImage } from '../../../src/runtimes/images.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';
import { containersCreatedSince, lbuildContainers } from '../../support/docker.js';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { copyFixture } from '../../support/fixtures.js';
import { listZip, zipToTar } from '../../support/zip-inspect.js';

const gate = await dockerGate();

const bcrypt = 'bcrypt@6.0.0';
const sqlite = 'better-sqlite3@12.11.1';
const sqliteAddon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
const compileTimeout = 480_000; // better-sqlite3 compiles SQLite: prebuild-install cannot reach GitHub here

function editJson(dir: string, file: string, edit: (json: Record<string, unknown>) => void): void {
  const path = join(dir, file);
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
}

/** Runs the zip's handler, which uses both addons, with the run image's node. */
async function runHandler(docker: Docker, zip: string, runtime: string): Promise<unknown> {
  const run = await WorkContainer.start(docker, {
    image: offlineImage(findRuntime(runtime), 'run', 'x86_64'),
    role: 'probe',
  });
  try {
    await run.putArchive(await zipToTar(zip, 'tmp/task'), '/');
    const result = await run.exec([
      'node',
      '-e',
      "require('/tmp/task/index.js').handler({password: 'hunter2'}).then((r) => console.log(JSON.stringify(r)))",
    ]);
    expect(result.exitCode, result.output).toBe(0);
    return JSON.parse(result.output.trim().split('\n').pop()!);
  } finally {
    await run.remove();
  }
}

async function zipNames(zip: string): Promise<string[]> {
  return (await listZip(zip)).map((e) => e.name);
}

describe.skipIf(gate.skipReason)(
  'lbuild package: npm install scripts skipped by npm 12 (nodejs24.x stand-in)',
  () => {
    let docker: Docker;
    let dir: string;

    beforeAll(async () => {
      docker = await requireDocker();
      dir = copyFixture('npm-scripts');
    });

    it('fails naming each package, its version and the fix, writes no zip, and a cache hit fails the same way', async () => {
      const attempt = async () => {
        const error = await packageProject(loadProject(dir), {
          imageSource: 'offline',
          docker,
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(InstallScriptsSkippedError);
        return error as InstallScriptsSkippedError;
      };
      const error = await attempt();
      expect(error.exitCode).toBe(1);
      expect(error.message).toContain(`${bcrypt} (install)`);
      expect(error.message).toContain(`${sqlite} (install)`);
      expect(error.hint).toContain(`"allowScripts": { "${bcrypt}": true, "${sqlite}": true }`);
      expect(error.hint).toContain('npm install-scripts approve bcrypt better-sqlite3');
      expect(error.hint).toContain('package.allowSkippedInstallScripts: true');
      expect(existsSync(defaultZipPath(loadProject(dir)))).toBe(false);

      const since = Date.now() / 1000;
      await attempt();
      expect(await containersCreatedSince(docker, since, process.pid, 'build')).toEqual([]);
      expect(await lbuildContainers(docker)).toEqual([]);
    });

    it('with package.allowSkippedInstallScripts, packages the cached tree and warns, naming them', async () => {
      editJson(dir, 'lbuild.json', (config) => {
        config.package = { allowSkippedInstallScripts: true };
      });
      const report = await packageProject(loadProject(dir), { imageSource: 'offline', docker });
      expect(report.cache).toBe('hit');
      expect(report.warnings).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `npm skipped the install scripts of ${bcrypt}, ${sqlite} \\(package\\.allowSkippedInstallScripts\\)`,
          ),
        ),
      );
      const names = await zipNames(report.zip);
      expect(names).toContain('node_modules/better-sqlite3/package.json');
      expect(names).not.toContain(sqliteAddon);
      expect(names.filter((n) => n.includes('install-scripts'))).toEqual([]);
    });

    it(
      'with allowScripts entries, npm runs the scripts and both addons work in the nodejs24.x run image',
      { timeout: compileTimeout },
      async () => {
        editJson(dir, 'lbuild.json', (config) => {
          delete config.package;
        });
        editJson(dir, 'package.json', (manifest) => {
          manifest.allowScripts = { [bcrypt]: true, [sqlite]: true };
        });
        const report = await packageProject(loadProject(dir), { imageSource: 'offline', docker });
        expect(report.cache).toBe('miss');
        expect(report.warnings.filter((w) => w.includes('install scripts'))).toEqual([]);
        const names = await zipNames(report.zip);
        expect(names).toContain(sqliteAddon);
        expect(
          names.filter((n) => n.includes('install-scripts') || n.includes('node_gyp_bins')),
        ).toEqual([]);
        expect(await runHandler(docker, report.zip, 'nodejs24.x')).toEqual({
          matches: true,
          rejectsWrong: false,
          sum: 42,
        });
      },
    );
  },
);

describe.skipIf(gate.skipReason)(
  'lbuild package: npm 10 (nodejs20.x stand-in) runs install scripts without allowScripts',
  () => {
    it(
      'packages without an allowScripts entry, and the addons work in the nodejs20.x run image',
      { timeout: compileTimeout },
      async () => {
        const docker = await requireDocker();
        const dir = copyFixture('npm-scripts');
        editJson(dir, 'lbuild.json', (config) => {
          config.runtime = 'nodejs20.x';
        });
        const report = await packageProject(loadProject(dir), { imageSource: 'offline', docker });
        expect(report.warnings.filter((w) => w.includes('install scripts'))).toEqual([]);
        expect(await zipNames(report.zip)).toContain(sqliteAddon);
        expect(await runHandler(docker, report.zip, 'nodejs20.x')).toEqual({
          matches: true,
          rejectsWrong: false,
          sum: 42,
        });
      },
    );
  },
);
