/** A port clash on the Invoke API is the machine's problem, reported like the other servers'. */
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { EnvironmentError } from '../../../src/errors.js';
import { startInvokeApi } from '../../../src/emulator/invoke-api/server.js';
import type { Invoker } from '../../../src/emulator/types.js';

const invoker: Invoker = {
  invoke: () => Promise.reject(new Error('not called')),
  enqueue: () => ({ requestId: 'unused' }),
  hasFunction: () => false,
};
const blocker = createServer();
afterEach(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

test('a busy Invoke API port is an EnvironmentError naming the port and --invoke-port', async () => {
  blocker.listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  const port = (blocker.address() as AddressInfo).port;

  const error = await startInvokeApi({ invoker, region: 'us-east-1', port }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EnvironmentError);
  const failure = error as EnvironmentError;
  expect(failure.exitCode).toBe(2);
  expect(failure.message).toContain(`port ${port} is in use`);
  expect(failure.message).toContain('--invoke-port');
  expect(failure.hint).toContain(`lsof -i :${port}`);
  expect(failure.hint).toContain('Invoke API');
  expect(failure.details).toMatchObject({ port, host: '127.0.0.1', code: 'EADDRINUSE' });
});
