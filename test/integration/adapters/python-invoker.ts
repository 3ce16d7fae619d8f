/**
 * Test harness: an Invoker whose functions are lbuild_adapters handlers running in one long-lived
 * Python process (driver.py), i.e. a warm Lambda environment without the container. The real pool
 * and Runtime API are built elsewhere; this lets the gateway → event → Flask/ASGI → response chain
 * be tested end to end today.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import type { InvocationOutcome, Invoker } from '../../../src/emulator/types.js';

const driver = fileURLToPath(new URL('./driver.py', import.meta.url));

export interface PythonInvoker extends Invoker {
  stderr(): string;
  close(): Promise<void>;
}

export function pythonInvoker(python: string, handlers: Record<string, string>): PythonInvoker {
  const child: ResultPromise = execa(python, ['-u', driver], {
    env: { PYTHONDONTWRITEBYTECODE: '1' },
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    reject: false,
    buffer: false,
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => waiting.shift()?.(line));
  // One invocation at a time, like one Lambda environment.
  let queue: Promise<unknown> = Promise.resolve();

  function send(handler: string, event: unknown): Promise<string> {
    const result = queue.then(
      () =>
        new Promise<string>((resolve) => {
          waiting.push(resolve);
          child.stdin!.write(`${JSON.stringify({ handler, event })}\n`);
        }),
    );
    queue = result.catch(() => {});
    return result;
  }

  return {
    hasFunction: (name) => name in handlers,
    enqueue: () => ({ requestId: randomUUID() }),
    async invoke({ functionName, payload }): Promise<InvocationOutcome> {
      const requestId = randomUUID();
      const handler = handlers[functionName];
      if (!handler) return { kind: 'unknown-function', requestId, logs: [] };
      const reply = JSON.parse(await send(handler, JSON.parse(payload.toString())));
      const base = { requestId, logs: [], durationMs: 1 };
      if (reply.ok)
        return { ...base, kind: 'succeeded', body: Buffer.from(JSON.stringify(reply.result)) };
      return {
        ...base,
        kind: 'function-error',
        errorType: reply.errorType,
        body: Buffer.from(JSON.stringify(reply)),
      };
    },
    stderr: () => stderr,
    async close() {
      child.stdin!.end();
      await child;
    },
  };
}
