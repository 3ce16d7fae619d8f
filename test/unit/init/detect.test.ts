/**
 * `lbuild init` without --from on the fixtures of test/fixtures/init: the app each one is, the
 * config written (checked by the loader that package and serve use), and the lines it reports.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/validate.js';
import { newestRuntime } from '../../../src/runtimes/catalog.js';
import { UserError } from '../../../src/errors.js';
import { initProject } from '../../../src/init/init-project.js';
import { copyInitFixture, initFixture, withoutSchema } from './init-helpers.js';

describe('lbuild init detects', () => {
  it('a Flask app with a Vite frontend', async () => {
    const { dir, result, project } = await initFixture('flask-app');
    expect(withoutSchema(result)).toEqual({
      name: expect.stringMatching(/^lbuild-init-flask-app-/),
      runtime: newestRuntime('python').name,
      functions: { api: { handler: 'wsgi:app.app', routes: ['ANY /', 'ANY /{proxy+}'] } },
      package: { dependencies: 'requirements.txt', exclude: ['frontend/'] },
      frontend: { dir: 'frontend/dist' },
    });
    expect(project.functions[0]!.handler).toBe('wsgi:app.app');
    expect(project.package.dependencies).toEqual({
      kind: 'requirements',
      path: 'requirements.txt',
    });
    expect(result.notMapped).toContain(
      'frontend: frontend/dist does not exist yet: build it (npm run build in frontend/) before lbuild serve',
    );
    const written = JSON.parse(readFileSync(join(dir, 'lbuild.json'), 'utf8')) as {
      $schema: string;
    };
    // The schema this lbuild ships, reachable from the project (editors complete and check with it).
    expect(existsSync(join(dir, written.$schema))).toBe(true);
    expect(() => validateConfig(written)).not.toThrow();
  });

  it('a Django project: its WSGI module, settings, Postgres and libpq for psycopg2', async () => {
    const { result, project } = await initFixture('django-project');
    expect(withoutSchema(result)).toMatchObject({
      runtime: newestRuntime('python').name,
      functions: { api: { handler: 'wsgi:mysite.wsgi.application' } },
      django: { settingsModule: 'mysite.settings' },
      database: {},
      package: {
        dependencies: 'requirements.txt',
        systemPackages: {
          apt: ['libpq-dev'],
          dnf: ['postgresql15-devel'],
          yum: ['postgresql-devel'],
        },
      },
    });
    expect(project.django.settingsModule).toBe('mysite.settings');
    expect(project.functions[0]!.environment.DJANGO_SETTINGS_MODULE).toBe('mysite.settings');
    expect(result.mapped).toContain(
      'database (local Postgres, DATABASE_URL injected) ← mysite/settings.py reads DATABASE_URL',
    );
  });

  it('a FastAPI app in a package, the Python it pins and a static folder', async () => {
    const { result } = await initFixture('fastapi-app');
    expect(withoutSchema(result)).toMatchObject({
      runtime: 'python3.11',
      functions: { api: { handler: 'asgi:app.main.app', routes: ['ANY /', 'ANY /{proxy+}'] } },
      package: { dependencies: 'requirements.txt' },
      frontend: { dir: 'public' },
    });
    expect(result.mapped).toContain('runtime python3.11 ← .python-version (3.11.9)');
    expect(result.config.database).toBeUndefined();
  });

  it('an Express app through serverless-http, and names the server it did not pick', async () => {
    const { result } = await initFixture('express-app');
    expect(withoutSchema(result)).toMatchObject({
      runtime: 'nodejs22.x',
      functions: { api: { handler: 'lambda.handler', routes: ['ANY /', 'ANY /{proxy+}'] } },
      package: { dependencies: 'package-lock.json' },
    });
    expect(result.choices).toEqual([
      {
        question: 'Which app should lbuild run?',
        answer: 'Express through serverless-http `handler` in lambda.js',
        by: 'default',
      },
    ]);
    expect(result.notMapped[0]).toMatch(/^also found Express server in server\.js/);
  });

  it('the Express server as a web function when that is the answer', async () => {
    const dir = copyInitFixture('express-app');
    const result = await initProject(dir, {
      ask: (choice) => Promise.resolve(choice.options.find((o) => o.includes('server.js'))!),
    });
    expect(result.config.runtime).toBe('nodejs24.x');
    expect(result.config.functions).toEqual({ web: { type: 'web', entryPoint: 'server.js' } });
    expect(result.choices[0]!.by).toBe('user');
    expect(result.notMapped.some((l) => l.includes('does not read AWS_LAMBDA_HTTP_ENDPOINT'))).toBe(
      true,
    );
  });

  it('--runtime over the detected runtime; an unknown one before any work', async () => {
    const { result } = await initFixture('flask-app', { runtime: 'python3.11' });
    expect(result.config.runtime).toBe('python3.11');
    await expect(
      initProject(copyInitFixture('flask-app'), { runtime: 'python2.7' }),
    ).rejects.toThrow('unknown runtime "python2.7"');
  });

  it('never replaces lbuild.json without --force; --dry-run writes nothing', async () => {
    const dir = copyInitFixture('fastapi-app');
    writeFileSync(join(dir, 'lbuild.json'), '{"name": "mine"}');
    await expect(initProject(dir)).rejects.toThrow(UserError);
    await expect(initProject(dir)).rejects.toThrow(/already exists/);
    const dry = await initProject(dir, { dryRun: true });
    expect(dry.written).toBe(false);
    expect(readFileSync(join(dir, 'lbuild.json'), 'utf8')).toBe('{"name": "mine"}');
    await initProject(dir, { force: true });
    expect(JSON.parse(readFileSync(join(dir, 'lbuild.json'), 'utf8')).functions.api.handler).toBe(
      'asgi:app.main.app',
    );
  });

  it('refuses a folder with no app, saying what it looked for', async () => {
    const dir = copyInitFixture('flask-app');
    writeFileSync(join(dir, 'app.py'), 'print("no app here")\n');
    await expect(initProject(dir)).rejects.toThrow(/found no app/);
  });
});
