/**
 * Library bundling where the audit can pass outright: a Node-API addon written here links libpq
 * and is built by node-gyp on the nodejs22.x stand-in (Debian 12, whose libraries need glibc 2.34
 * at most: what Amazon Linux 2023 has). Its run image has no libpq at all, so `lbuild invoke`
 * works only because the zip carries it, and fails the way Lambda would without it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../src/audit/index.js';
import type { PackageReport } from '../../../src/package/report.js';
import { lbuild } from '../../support/cli.js';
import { dockerGate } from '../../support/gates.js';

const gate = await dockerGate();
const env = { LBUILD_IMAGE_SOURCE: 'offline' };

const addonC = `#include <node_api.h>
#include <libpq-fe.h>

static napi_value LibVersion(napi_env env, napi_callback_info info) {
  napi_value result;
  napi_create_int32(env, PQlibVersion(), &result);
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "libVersion", NAPI_AUTO_LENGTH, LibVersion, NULL, &fn);
  napi_set_named_property(env, exports, "libVersion", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
`;

const bindingGyp = {
  targets: [
    {
      target_name: 'pqaddon',
      sources: ['pqaddon.c'],
      include_dirs: ['<!(pg_config --includedir)'],
      libraries: ['-lpq'],
    },
  ],
};

const indexJs = `const fs = require('node:fs');
const addon = require('pqaddon');

exports.handler = async () => {
  const maps = fs.readFileSync('/proc/self/maps', 'utf8').split('\\n');
  const libpq = [...new Set(maps.filter((l) => l.includes('libpq.so')).map((l) => l.split(/\\s+/).pop()))];
  return { version: addon.libVersion(), libpq: libpq.sort() };
};
`;

function writeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-syslibs-node-'));
  const addon = join(dir, 'pqaddon');
  mkdirSync(addon);
  writeFileSync(join(addon, 'pqaddon.c'), addonC);
  writeFileSync(join(addon, 'binding.gyp'), JSON.stringify(bindingGyp));
  writeFileSync(
    join(addon, 'index.js'),
    "module.exports = require('./build/Release/pqaddon.node');\n",
  );
  writeFileSync(
    join(addon, 'package.json'),
    JSON.stringify({
      name: 'pqaddon',
      version: '1.0.0',
      main: 'index.js',
      gypfile: true,
      scripts: { install: 'node-gyp rebuild' },
    }),
  );
  writeFileSync(join(dir, 'index.js'), indexJs);
  const manifest = {
    name: 'pqnode',
    version: '1.0.0',
    private: true,
    dependencies: { pqaddon: 'file:./pqaddon' },
  };
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ ...manifest, allowScripts: { 'file:pqaddon': true } }),
  );
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({
      ...manifest,
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': manifest,
        pqaddon: { version: '1.0.0', hasInstallScript: true },
        'node_modules/pqaddon': { resolved: 'pqaddon', link: true },
      },
    }),
  );
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      name: 'pqnode',
      runtime: 'nodejs22.x',
      functions: { api: { handler: 'index.handler' } },
      package: { exclude: ['pqaddon/'], systemPackages: { apt: ['libpq-dev'] } },
    }),
  );
  return dir;
}

describe.skipIf(gate.skipReason)('bundled libraries: a Node addon on libpq (nodejs22.x)', () => {
  let dir: string;
  let report: PackageReport;

  beforeAll(async () => {
    dir = writeProject();
    const packaged = await lbuild(['package', dir, '--json'], env);
    if (packaged.exitCode !== 0) throw new Error(packaged.stderr);
    report = JSON.parse(packaged.stdout) as PackageReport;
  });

  it('bundles libpq for the addon, and the zip passes the audit for Amazon Linux 2023', async () => {
    const libpq = report.bundledLibraries!.find((l) => l.file === 'lib/libpq.so.5');
    expect(libpq?.neededBy).toContain('node_modules/pqaddon/build/Release/pqaddon.node');
    expect(report.audit).toMatchObject({ ok: true, errors: 0 });

    const audited = await lbuild(['audit', report.zip, '--runtime', 'nodejs22.x', '--json'], env);
    expect(audited.exitCode, audited.stderr).toBe(0);
    const audit = JSON.parse(audited.stdout) as AuditReport;
    expect(audit).toMatchObject({ ok: true, errors: [], warnings: [] });
    expect(audit.elfFiles).toBeGreaterThan(report.bundledLibraries!.length);
  });

  it('lbuild invoke loads the bundled libpq in a run image that has none', async () => {
    const result = await lbuild(['invoke', '--dir', dir, '--payload', '{}', '--json'], env);
    expect(result.exitCode, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { result: Record<string, unknown> };
    expect(out.result.version).toBeGreaterThanOrEqual(150000);
    expect(out.result.libpq).toEqual(['/var/task/lib/libpq.so.5']);
  });

  it('without bundling the function cannot load its addon, as on Lambda', async () => {
    writeFileSync(
      join(dir, 'lbuild.json'),
      JSON.stringify({
        name: 'pqnode',
        runtime: 'nodejs22.x',
        functions: { api: { handler: 'index.handler' } },
        package: {
          exclude: ['pqaddon/'],
          systemPackages: { apt: ['libpq-dev'] },
          bundleLibraries: false,
        },
      }),
    );
    const result = await lbuild(['invoke', '--dir', dir, '--payload', '{}', '--json'], env);
    expect(result.exitCode).toBe(1);
    const out = JSON.parse(result.stdout) as { status: string; result: { errorMessage: string } };
    expect(out.status).toBe('function-error');
    expect(out.result.errorMessage).toMatch(/libpq\.so\.5: cannot open shared object file/);
  });
});
