/** functions.<name>.url in lbuild.json: defaults, errors that name the key, and port clashes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/errors.js';
import { stackPorts } from '../../../src/serve/stack-ports.js';
import { allocateUrlPorts } from '../../../src/serve/url-ports.js';

function projectWith(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-url-config-'));
  writeFileSync(join(dir, 'lbuild.json'), JSON.stringify({ runtime: 'python3.11', ...config }));
  return dir;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('functions.<name>.url', () => {
  it('resolves to BUFFERED with no port and no CORS unless set', () => {
    const project = loadProject(
      projectWith({ functions: { api: { handler: 'app.h', url: { authType: 'AWS_IAM' } } } }),
    );
    expect(project.functions[0]!.url).toEqual({
      authType: 'AWS_IAM',
      invokeMode: 'BUFFERED',
      cors: undefined,
      port: undefined,
    });
  });

  it('names the key of a missing authType, a wrong invokeMode and a misspelt CORS key', () => {
    const cases: Array<[object, string]> = [
      [{}, 'functions.api.url.authType'],
      [{ authType: 'NONE', invokeMode: 'STREAM' }, 'functions.api.url.invokeMode'],
      [{ authType: 'NONE', cors: { allowOrigin: ['*'] } }, 'functions.api.url.cors.allowOrigin'],
      [{ authType: 'IAM' }, 'functions.api.url.authType'],
    ];
    for (const [url, path] of cases) {
      const dir = projectWith({ functions: { api: { handler: 'app.h', url } } });
      expect(configError(() => loadProject(dir)).jsonPath).toBe(path);
    }
  });

  it('refuses a URL port that another part of the stack already uses', () => {
    const project = loadProject(
      projectWith({
        api: { port: 4220 },
        functions: {
          api: { handler: 'app.h', url: { authType: 'NONE', port: 4225 } },
          jobs: { handler: 'app.h', url: { authType: 'NONE', port: 4220 } },
        },
      }),
    );
    const error = configError(() => stackPorts(project, {}));
    expect(error.jsonPath).toBe('functions.jobs.url.port');
    expect(error.message).toContain('API Gateway port');
  });

  it('gives URLs without a port the first free ports from 9100, skipping taken ones', async () => {
    const ports = await allocateUrlPorts(
      [
        { functionName: 'a', port: undefined },
        { functionName: 'b', port: 9101 },
        { functionName: 'c', port: undefined },
      ],
      [9100],
    );
    expect(ports[1]).toEqual({ functionName: 'b', port: 9101 });
    expect(ports[0]!.port).toBeGreaterThan(9101);
    expect(ports[2]!.port).toBeGreaterThan(ports[0]!.port);
  });
});
