/** functions.<name>.logging and the top-level default: merged, defaulted, checked like Lambda. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { schemaPath } from '../../../src/config/validate.js';
import {
  applicationLogLevels,
  logFormats,
  systemLogLevels,
} from '../../../src/emulator/logs/log-levels.js';
import { lambdaEnvironment } from '../../../src/emulator/workers/core/environment.js';
import { ConfigError } from '../../../src/errors.js';

function projectWith(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-logging-'));
  writeFileSync(join(dir, 'lbuild.json'), JSON.stringify({ runtime: 'python3.12', ...config }));
  return dir;
}

const fnNamed = (dir: string, name: string) =>
  loadProject(dir).functions.find((fn) => fn.name === name)!;

const environmentOf = (dir: string, name: string) =>
  lambdaEnvironment({
    fn: fnNamed(dir, name),
    handler: 'app.handler',
    taskRoot: '/var/task',
    runtimeDir: '/var/runtime',
    region: 'us-east-1',
    placement: 'container',
  });

describe('logging in lbuild.json', () => {
  it("defaults to Lambda's: Text, levels INFO; Text sets no AWS_LAMBDA_LOG_LEVEL", () => {
    const dir = projectWith({ functions: { api: { handler: 'app.handler' } } });
    expect(fnNamed(dir, 'api').logging).toEqual({
      format: 'Text',
      applicationLogLevel: 'INFO',
      systemLogLevel: 'INFO',
    });
    const env = environmentOf(dir, 'api');
    expect(env.AWS_LAMBDA_LOG_FORMAT).toBe('Text');
    expect(env).not.toHaveProperty('AWS_LAMBDA_LOG_LEVEL');
  });

  it("a function's logging wins field by field over the top-level one; the variables follow", () => {
    const dir = projectWith({
      logging: { format: 'JSON', applicationLogLevel: 'WARN' },
      functions: {
        api: { handler: 'app.handler' },
        worker: {
          handler: 'app.job',
          logging: { applicationLogLevel: 'DEBUG', systemLogLevel: 'WARN' },
        },
      },
    });
    expect(fnNamed(dir, 'api').logging).toEqual({
      format: 'JSON',
      applicationLogLevel: 'WARN',
      systemLogLevel: 'INFO',
    });
    expect(fnNamed(dir, 'worker').logging).toEqual({
      format: 'JSON',
      applicationLogLevel: 'DEBUG',
      systemLogLevel: 'WARN',
    });
    const env = environmentOf(dir, 'worker');
    expect([env.AWS_LAMBDA_LOG_FORMAT, env.AWS_LAMBDA_LOG_LEVEL]).toEqual(['JSON', 'DEBUG']);
  });

  it("the format is the platform's; with Text a user's own AWS_LAMBDA_LOG_LEVEL is left alone", () => {
    const dir = projectWith({
      environment: { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'ERROR' },
      functions: { api: { handler: 'app.handler' } },
    });
    const env = environmentOf(dir, 'api');
    expect(env.AWS_LAMBDA_LOG_FORMAT).toBe('Text');
    // Not one of Lambda's reserved names, and Lambda sets none with Text (inferred).
    expect(env.AWS_LAMBDA_LOG_LEVEL).toBe('ERROR');
  });

  it('refuses a level with the Text format, naming where it was set', () => {
    const dir = projectWith({
      functions: { api: { handler: 'app.handler', logging: { applicationLogLevel: 'WARN' } } },
    });
    const error = (() => {
      try {
        loadProject(dir);
      } catch (caught) {
        return caught;
      }
      throw new Error('expected a ConfigError');
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.jsonPath).toBe('functions.api.logging.applicationLogLevel');
    expect(error.hint).toContain('"format": "JSON"');
  });

  it('refuses values Lambda does not know, through the schema', () => {
    const dir = projectWith({
      functions: { api: { handler: 'app.handler', logging: { format: 'json' } } },
    });
    expect(() => loadProject(dir)).toThrow(
      /functions\.api\.logging\.format: is not an accepted value/,
    );
  });

  it("the schema's enums are the lists the code uses", () => {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
    const { properties } = schema.definitions.logging;
    expect(properties.format.enum).toEqual([...logFormats]);
    expect(properties.applicationLogLevel.enum).toEqual([...applicationLogLevels]);
    expect(properties.systemLogLevel.enum).toEqual([...systemLogLevels]);
  });
});
