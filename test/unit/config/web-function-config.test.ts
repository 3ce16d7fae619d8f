import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { ConfigError, UserError } from '../../../src/errors.js';
import { pickFunction } from '../../../src/invoke/pick-function.js';
import { assertWebEntryPoints } from '../../../src/package/web-entry-points.js';

function project(config: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-webcfg-'));
  writeFileSync(join(dir, 'lbuild.json'), JSON.stringify({ name: 'site', ...config }));
  return dir;
}

function configError(config: Record<string, unknown>): ConfigError {
  try {
    loadProject(project(config));
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('web functions in lbuild.json', () => {
  it('takes Lambda defaults: nodejs24.x, arm64, index.js, 64 per environment, 30 s, and no warning on arm64', () => {
    const resolved = loadProject(project({ functions: { site: { type: 'web' } } }));
    const fn = resolved.functions[0]!;
    expect(fn).toMatchObject({
      kind: 'web',
      handler: 'index.js',
      architecture: 'arm64',
      timeout: 30,
    });
    expect(fn.runtime.name).toBe('nodejs24.x');
    expect(fn.web).toEqual({
      entryPoint: 'index.js',
      entryPointSet: false,
      maxConcurrencyPerEnvironment: 64,
      maxEnvironments: 10,
      port: 3100,
    });
    expect(resolved.warnings).toEqual([]);
  });

  it('warns when built for x86_64: allowed locally, never on Lambda', () => {
    const resolved = loadProject(
      project({
        architecture: 'x86_64',
        functions: { site: { type: 'web', entryPoint: 'dist/server.mjs' } },
      }),
    );
    expect(resolved.functions[0]!.web).toMatchObject({
      entryPoint: 'dist/server.mjs',
      entryPointSet: true,
    });
    expect(resolved.warnings.join('\n')).toMatch(
      /functions\.site is a web function built for x86_64.*arm64/,
    );
  });

  it('gives each web function its own default port: 3100 + its position among them', () => {
    const resolved = loadProject(
      project({
        functions: { a: { type: 'web' }, b: { type: 'web', port: 5000 }, c: { type: 'web' } },
      }),
    );
    expect(resolved.functions.map((fn) => fn.web!.port)).toEqual([3100, 5000, 3102]);
  });

  it.each([
    [{ type: 'web', runtime: 'nodejs22.x' }, 'functions.site.runtime', /nodejs24\.x only/],
    [
      { type: 'web', handler: 'index.handler' },
      'functions.site.handler',
      /not used by a web function/,
    ],
    [
      { type: 'web', maxConcurrencyPerEnvironment: 200 },
      'functions.site.maxConcurrencyPerEnvironment',
      /<= 128/,
    ],
    [{ type: 'web', maxEnvironments: 1 }, 'functions.site.maxEnvironments', />= 2/],
    [{ type: 'web', timeout: 2 }, 'functions.site.timeout', />= 3/],
    [
      { handler: 'app.handler', runtime: 'python3.11', maxEnvironments: 3 },
      'functions.site.maxEnvironments',
      /web functions only/,
    ],
    [{ runtime: 'python3.11' }, 'functions.site.handler', /is required/],
  ])('refuses %j at %s', (fn, path, problem) => {
    const error = configError({ functions: { site: fn } });
    expect(error.message).toContain(path);
    expect(error.message).toMatch(problem);
  });
});

describe('web functions elsewhere', () => {
  const files = (...names: string[]) =>
    names.map((name) => ({ name, absolutePath: `/src/${name}`, size: 1, executable: false }));

  it('lbuild package refuses a package without the entry point, naming the setting', () => {
    const resolved = loadProject(
      project({ functions: { site: { type: 'web', entryPoint: 'dist/server.mjs' } } }),
    );
    expect(() => assertWebEntryPoints(resolved, files('dist/server.mjs'))).not.toThrow();
    expect(() => assertWebEntryPoints(resolved, files('index.js', 'package.json'))).toThrow(
      /functions\.site\.entryPoint: dist\/server\.mjs is not in the package/,
    );
  });

  it('lbuild invoke refuses a web function, pointing at its endpoint', () => {
    const resolved = loadProject(project({ functions: { site: { type: 'web' } } }));
    expect(() => pickFunction(resolved, 'site')).toThrow(UserError);
    expect(() => pickFunction(resolved, undefined)).toThrow(/site is a web function/);
  });
});
