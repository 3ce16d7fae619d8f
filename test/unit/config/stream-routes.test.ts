/** Routes with a response transfer mode, and the REST API settings, as lbuild.json spells them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/errors.js';

function project(config: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-stream-routes-'));
  writeFileSync(join(dir, 'lbuild.json'), JSON.stringify({ runtime: 'nodejs20.x', ...config }));
  return dir;
}

describe('routes in STREAM mode', () => {
  it('a route object names its route and mode; plain strings stay BUFFERED', () => {
    const resolved = loadProject(
      project({
        api: { type: 'rest', stage: 'prod' },
        functions: {
          chat: {
            handler: 'chat.handler',
            routes: [
              'GET /health',
              { route: 'POST /chat', responseTransferMode: 'STREAM' },
              { route: 'GET /history', responseTransferMode: 'BUFFERED' },
            ],
          },
        },
      }),
    );
    const chat = resolved.functions[0]!;
    expect(chat.routes).toEqual(['GET /health', 'POST /chat', 'GET /history']);
    expect(chat.streamRoutes).toEqual(['POST /chat']);
    expect(resolved.api).toMatchObject({ type: 'rest', stage: 'prod' });
  });

  it('a function without STREAM routes has no streamRoutes', () => {
    const resolved = loadProject(
      project({ functions: { api: { handler: 'app.handler', routes: ['ANY /{proxy+}'] } } }),
    );
    expect(resolved.functions[0]!.streamRoutes).toBeUndefined();
  });

  it('an unknown mode is a ConfigError', () => {
    expect(() =>
      loadProject(
        project({
          functions: {
            chat: {
              handler: 'chat.handler',
              routes: [{ route: 'POST /chat', responseTransferMode: 'STREAMING' }],
            },
          },
        }),
      ),
    ).toThrow(ConfigError);
  });
});
