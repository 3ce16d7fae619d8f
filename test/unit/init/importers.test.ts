/**
 * `lbuild init --from`: a zappa_settings.json with two stages, a serverless.yml with three
 * functions and httpApi events, a SAM template with Globals and two functions. Each result is
 * loaded by the loader package and serve use; the report names what was left out.
 */
import { describe, expect, it } from 'vitest';
import { newestRuntime } from '../../../src/runtimes/catalog.js';
import { initFixture, withoutSchema } from './init-helpers.js';

describe('lbuild init --from zappa_settings.json', () => {
  it('imports the first stage by default, as a REST API under its stage', async () => {
    const { result, project } = await initFixture('zappa', { from: 'zappa_settings.json' });
    expect(result.source).toBe('zappa');
    expect(withoutSchema(result)).toEqual({
      name: 'zappa-shop',
      runtime: 'python3.11',
      functions: {
        api: {
          handler: 'wsgi:app.app',
          memorySize: 256,
          timeout: 20,
          routes: ['ANY /', 'ANY /{proxy+}'],
        },
        nightly: { handler: 'tasks.nightly' },
        on_upload: { handler: 'tasks.on_upload' },
      },
      package: {
        exclude: ['*.gz', 'notes/', '/zappa_settings.json'],
        dependencies: 'requirements.txt',
      },
      api: { type: 'rest', stage: 'dev' },
      environment: { GREETING: 'hello from zappa', STAGE: 'dev' },
    });
    expect(project.api).toMatchObject({ type: 'rest', stage: 'dev' });
    expect(result.choices).toEqual([
      { question: 'Which Zappa stage should lbuild.json describe?', answer: 'dev', by: 'default' },
    ]);
    expect(result.notMapped).toEqual([
      'dev.events[0]: schedule rate(1 day) is not emulated: run it with `lbuild invoke nightly`',
      'dev.events[1]: event source arn:aws:s3:::zappa-shop-uploads is not emulated: run it with `lbuild invoke on_upload`',
      'dev.aws_environment_variables.DATABASE_URL: lbuild serve sets it to its own Postgres (see "database"); set the real one where you deploy',
      'dev: aws_region, s3_bucket: deployment settings (lbuild builds and serves; it does not deploy)',
    ]);
  });

  it('--stage prod: what it extends, its own settings, and python3.8 moved to the nearest runtime', async () => {
    const { result, project } = await initFixture('zappa', {
      from: 'zappa_settings.json',
      stage: 'prod',
    });
    expect(result.choices).toEqual([]);
    expect(result.config.runtime).toBe('python3.9');
    expect(result.config.functions!.api).toMatchObject({ memorySize: 1024, timeout: 20 });
    expect(result.config.environment).toEqual({ GREETING: 'hello from prod', STAGE: 'prod' });
    expect(result.config.api).toEqual({ type: 'rest', stage: 'prod' });
    expect(result.mapped).toContain(
      `runtime python3.9 ← prod.runtime python3.8 (no longer a Lambda runtime; python3.9 is the nearest lbuild knows) (deprecated since 2025-12-15: move to ${newestRuntime('python').name})`,
    );
    expect(result.notMapped).toContain(
      'prod.keep_warm: lbuild serve keeps workers warm on its own',
    );
    expect(project.warnings[0]).toMatch(/^python3\.9 is deprecated/);
  });

  it('refuses a stage that does not exist, naming those that do', async () => {
    await expect(
      initFixture('zappa', { from: 'zappa_settings.json', stage: 'qa' }),
    ).rejects.toThrow('zappa settings have no stage "qa"');
  });
});

describe('lbuild init --from serverless.yml', () => {
  it('imports three functions with their httpApi routes, provider defaults and patterns', async () => {
    const { result, project } = await initFixture('serverless', { from: 'serverless.yml' });
    expect(result.source).toBe('serverless');
    expect(withoutSchema(result)).toEqual({
      name: 'notes-api',
      runtime: 'nodejs18.x',
      functions: {
        list: { handler: 'src/notes.list', memorySize: 256, timeout: 10, routes: ['GET /notes'] },
        get: {
          handler: 'src/notes.get',
          memorySize: 512,
          timeout: 10,
          routes: ['GET /notes/{id}'],
        },
        health: {
          handler: 'src/health.handler',
          memorySize: 256,
          timeout: 3,
          environment: { CHECK: 'shallow' },
          routes: ['GET /health'],
        },
      },
      package: { exclude: ['tests/**', 'docs/**', '/serverless.yml'] },
      api: { cors: { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] } },
      environment: { TABLE_NAME: 'notes-api-dev-notes', LOG_LEVEL: 'info' },
    });
    expect(project.functions.map((f) => f.name)).toEqual(['list', 'get', 'health']);
    expect(result.mapped).toContain(
      `runtime nodejs18.x ← provider.runtime nodejs16.x (no longer a Lambda runtime; nodejs18.x is the nearest lbuild knows) (deprecated since 2025-09-01: move to ${newestRuntime('nodejs').name})`,
    );
    expect(result.notMapped).toEqual([
      'functions.health.events[1]: schedule events are not emulated: run the function with `lbuild invoke health`',
      'provider.environment.API_TOKEN: "${ssm:/notes/api-token}" is resolved at deploy time; set it in .env or here by hand',
      'plugin serverless-domain-manager: not used by lbuild',
      'resources: CloudFormation resources are not created locally (lbuild serve has API Gateway, Postgres and static hosting)',
    ]);
  });
});

describe('lbuild init --from template.yaml (SAM)', () => {
  it('imports two functions with Globals under their own properties and the shared CodeUri', async () => {
    const { result, project } = await initFixture('sam', { from: 'template.yaml' });
    expect(result.source).toBe('sam');
    expect(withoutSchema(result)).toMatchObject({
      runtime: 'python3.11',
      architecture: 'x86_64',
      functions: {
        HelloFunction: {
          handler: 'app.hello',
          memorySize: 256,
          timeout: 10,
          environment: { GREETING: 'hello from sam' },
          routes: ['GET /hello'],
        },
        ItemsFunction: {
          handler: 'items.handler',
          memorySize: 512,
          timeout: 10,
          environment: { GREETING: 'hello from sam', MODE: 'items' },
          routes: ['ANY /items/{id}'],
        },
      },
      package: { sourceDir: 'src', dependencies: 'src/requirements.txt' },
    });
    expect(result.config.api).toBeUndefined();
    expect(project.package.sourceDir).toBe('src');
    expect(result.notMapped).toEqual([
      'Resources.HelloFunction.Environment.Variables.TABLE: {"Ref":"ItemsTable"} is resolved at deploy time; set it in .env or here by hand',
      'Resources.ItemsFunction.Environment.Variables.TABLE: {"Ref":"ItemsTable"} is resolved at deploy time; set it in .env or here by hand',
      'Resources.ItemsFunction.Events.Nightly: Schedule events are not emulated: run the function with `lbuild invoke ItemsFunction`',
      'Resources.ItemsFunction.Policies: not used by lbuild',
      'Resources.ItemsTable (AWS::Serverless::SimpleTable): not created locally',
    ]);
  });

  it('refuses a file that is none of the three formats', async () => {
    await expect(initFixture('express-app', { from: 'package.json' })).rejects.toThrow(
      'package.json is not a SAM template, a serverless.yml or Zappa settings',
    );
  });
});
