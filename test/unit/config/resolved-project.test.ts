import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFunction, UnknownFunctionError } from '../../../src/config/find-function.js';
import { loadProject } from '../../../src/config/load.js';

function project(config: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-resolved-'));
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      name: 'shop-app',
      runtime: 'python3.11',
      functions: { api: { handler: 'app.handler' }, worker: { handler: 'jobs.handler' } },
      ...config,
    }),
  );
  return dir;
}

describe('the resolved project', () => {
  it('applies the serve defaults: API port 3000, static port 8080, 60 s database health', () => {
    const resolved = loadProject(project({ frontend: { dir: 'web' }, database: {} }));
    expect(resolved.api.port).toBe(3000);
    expect(resolved.frontend).toMatchObject({ dir: 'web', port: 8080 });
    expect(resolved.database).toEqual({
      image: undefined,
      name: 'shop_app',
      user: 'shop_app',
      password: 'lbuild-local',
      hostPort: 5432,
      init: undefined,
      healthTimeoutSeconds: 60,
    });
  });

  it('keeps what lbuild.json sets, and leaves out what it does not configure', () => {
    const resolved = loadProject(
      project({
        api: { port: 4000 },
        frontend: { dir: 'web', port: 9000, spa: false },
        database: { port: 5433, healthTimeout: 5, init: 'migrate' },
      }),
    );
    expect(resolved.api.port).toBe(4000);
    expect(resolved.frontend).toMatchObject({ port: 9000, spa: false });
    expect(resolved.database).toMatchObject({ hostPort: 5433, healthTimeoutSeconds: 5 });
    expect(loadProject(project({})).frontend).toBeUndefined();
    expect(loadProject(project({})).database).toBeUndefined();
  });
});

describe('findFunction', () => {
  const resolved = loadProject(project({}));

  it('finds a function by name', () => {
    expect(findFunction(resolved, 'worker').handler).toBe('jobs.handler');
  });

  it('names the known functions (and the alternative) when there is none by that name', () => {
    let error: unknown;
    try {
      findFunction(resolved, 'apii', 'db');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnknownFunctionError);
    const unknown = error as UnknownFunctionError;
    expect(unknown.message).toBe('no function named "apii" in shop-app');
    expect(unknown.hint).toBe('Functions: api, worker (or db).');
    expect(unknown.known).toEqual(['api', 'worker']);
    expect(unknown.exitCode).toBe(1);
  });
});

describe('django', () => {
  it('django.settingsModule is DJANGO_SETTINGS_MODULE of every function, unless an environment sets it', () => {
    const resolved = loadProject(
      project({
        django: { settingsModule: 'mysite.settings' },
        functions: {
          api: { handler: 'wsgi:mysite.wsgi.application' },
          worker: {
            handler: 'jobs.handler',
            environment: { DJANGO_SETTINGS_MODULE: 'mysite.jobs' },
          },
        },
      }),
    );
    expect(resolved.functions.map((f) => f.environment.DJANGO_SETTINGS_MODULE)).toEqual([
      'mysite.settings',
      'mysite.jobs',
    ]);
    expect(resolved.django).toEqual({
      settingsModule: 'mysite.settings',
      manageTimeoutSeconds: 900,
    });
  });

  it('keeps django.manageTimeout, and without a django block sets nothing', () => {
    expect(
      loadProject(project({ django: { manageTimeout: 60 } })).django.manageTimeoutSeconds,
    ).toBe(60);
    const plain = loadProject(project({}));
    expect(plain.functions[0]!.environment).toEqual({});
    expect(plain.django.settingsModule).toBeUndefined();
  });

  it('refuses a settings module that is no Python module path, and a timeout over 900 s', () => {
    expect(() =>
      loadProject(project({ django: { settingsModule: 'mysite/settings.py' } })),
    ).toThrow(/django\.settingsModule: does not match/);
    expect(() => loadProject(project({ django: { manageTimeout: 3600 } }))).toThrow(
      /django\.manageTimeout: must be <= 900/,
    );
  });
});
