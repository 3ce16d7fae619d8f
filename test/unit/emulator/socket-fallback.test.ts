/**
 * lbuild's bootstraps prefer the Runtime API's Unix socket, but a socket they cannot reach (a mount
 * refused by the engine or by SELinux) must not cost the invocation: they say so and use the TCP
 * port of AWS_LAMBDA_RUNTIME_API, which serves the same endpoint.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { runtimeSupportDir } from '../../../src/paths.js';
import { fnDef, json, nodeFixtures, pythonFixtures } from './helpers.js';

const unreachable = '/nonexistent/lbuild/runtime-api.sock';

describe.each([
  {
    language: 'python',
    codeDir: pythonFixtures,
    fn: fnDef('echo', 'handlers.echo'),
    command: ['python3', '-B', join(runtimeSupportDir, 'python', 'bootstrap.py')],
  },
  {
    language: 'node',
    codeDir: nodeFixtures,
    fn: fnDef('cjs', 'cjs/index.handler', { runtimeName: 'nodejs20.x' }),
    command: [process.execPath, join(runtimeSupportDir, 'node', 'bootstrap.mjs')],
  },
])('$language bootstrap with an unreachable Runtime API socket', ({ codeDir, fn, command }) => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      codeDir,
      functions: [fn],
      // `env` puts the hint in front of the bootstrap, as a worker would.
      runtimeCommand: (f) => ({
        command: 'env',
        args: [`LBUILD_RUNTIME_API_SOCKET=${unreachable}`, ...command, f.handler],
      }),
    });
  });
  afterAll(async () => emu?.close());

  test('falls back to the TCP port, says so, and serves every invocation', async () => {
    for (let n = 0; n < 3; n++) {
      const outcome = await emu.invoker.invoke({
        functionName: fn.name,
        payload: Buffer.from(JSON.stringify({ n })),
      });
      expect(outcome.kind).toBe('succeeded');
      if (outcome.kind === 'succeeded') expect(json(outcome.body).event).toEqual({ n });
      if (n === 0)
        expect(
          outcome.logs.some((line) =>
            line.includes(`cannot use the Runtime API socket ${unreachable}`),
          ),
        ).toBe(true);
    }
  });
});
