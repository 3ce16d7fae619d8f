import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/errors.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-config-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

function configError(dir: string, overrides = {}): ConfigError {
  try {
    loadProject(dir, overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('lbuild.json validation', () => {
  it('names the JSON path of a value out of range, with Lambda limits in the hint', () => {
    const dir = project({
      'lbuild.json': JSON.stringify({
        runtime: 'python3.11',
        functions: { api: { handler: 'app.handler', memorySize: 64 } },
      }),
    });
    const error = configError(dir);
    expect(error.jsonPath).toBe('functions.api.memorySize');
    expect(error.message).toContain('must be >= 128');
    expect(error.hint).toContain('128-10240');
    expect(error.exitCode).toBe(1);
  });

  it('names a misspelt property and its location', () => {
    const dir = project({
      'lbuild.json': JSON.stringify({
        runtime: 'python3.11',
        functions: { api: { handler: 'a.b', timout: 3 } },
      }),
    });
    const error = configError(dir);
    expect(error.jsonPath).toBe('functions.api.timout');
    expect(error.message).toContain('unknown property "timout"');
  });

  it('lists accepted runtimes for an unknown one', () => {
    const dir = project({
      'lbuild.json': JSON.stringify({
        runtime: 'python2.7',
        functions: { api: { handler: 'a.b' } },
      }),
    });
    const error = configError(dir);
    expect(error.jsonPath).toBe('runtime');
    expect(error.hint).toContain('"python3.12"');
  });

  it('reports a missing handler', () => {
    const dir = project({
      'lbuild.json': JSON.stringify({ runtime: 'nodejs20.x', functions: { api: {} } }),
    });
    expect(configError(dir).jsonPath).toBe('functions.api.handler');
  });

  it('reports JSON syntax errors with the file name', () => {
    const dir = project({ 'lbuild.json': '{ "runtime": "python3.11", }' });
    const error = configError(dir);
    expect(error.message).toContain('lbuild.json');
    expect(error.message).toContain('not valid JSON');
  });

  it('refuses functions that cannot share one package', () => {
    const dir = project({
      'lbuild.json': JSON.stringify({
        runtime: 'python3.11',
        functions: { a: { handler: 'a.h' }, b: { handler: 'b.h', architecture: 'arm64' } },
      }),
    });
    expect(configError(dir).jsonPath).toBe('functions.b');
  });

  it('explains how to go zero-config when there is no lbuild.json', () => {
    const dir = project({ 'requirements.txt': '' });
    const error = configError(dir);
    expect(error.hint).toContain('--runtime');
  });
});

describe('zero-config', () => {
  it('builds a one-function project from --runtime and --handler and finds requirements.txt', () => {
    const dir = project({ 'requirements.txt': 'flask\n', 'app.py': '' });
    const resolved = loadProject(dir, { runtime: 'python3.11', handler: 'app.handler' });
    expect(resolved.functions).toHaveLength(1);
    expect(resolved.functions[0]).toMatchObject({
      handler: 'app.handler',
      memorySize: 512,
      timeout: 30,
      architecture: 'x86_64',
    });
    expect(resolved.runtime.glibc).toBe('2.26');
    expect(resolved.package.dependencies).toEqual({
      kind: 'requirements',
      path: 'requirements.txt',
    });
  });

  it('prefers a lock file over a manifest', () => {
    const dir = project({ 'requirements.txt': '', 'poetry.lock': '', 'pyproject.toml': '' });
    expect(
      loadProject(dir, { runtime: 'python3.12', handler: 'a.b' }).package.dependencies?.kind,
    ).toBe('poetry');
  });

  it('rejects an unknown runtime flag with the list of runtimes', () => {
    const dir = project({});
    expect(() => loadProject(dir, { runtime: 'ruby3.2', handler: 'a.b' })).toThrow(
      /unknown runtime "ruby3.2"/,
    );
  });
});
