/**
 * Test harness only: an Invoker that runs JavaScript handlers in this process, because the real
 * worker pool is built elsewhere. A handler's return value is JSON-encoded like a runtime would; a
 * Buffer is passed through raw (for malformed responses); a thrown Error is a function error; a
 * thrown SimulatedOutcome stands for the pool's other outcomes (timeout, throttling...).
 */
import { randomUUID } from 'node:crypto';
import type { InvocationOutcome, InvokeRequest, Invoker } from '../../../src/emulator/types.js';

export type TestHandler = (event: any) => unknown;

export class SimulatedOutcome {
  constructor(readonly outcome: Partial<InvocationOutcome> & { kind: InvocationOutcome['kind'] }) {}
}

export interface InProcessInvoker extends Invoker {
  /** Every event each function received, parsed. */
  events: Array<{ functionName: string; event: any }>;
}

export function inProcessInvoker(handlers: Record<string, TestHandler>): InProcessInvoker {
  const events: InProcessInvoker['events'] = [];
  return {
    events,
    hasFunction: (name) => name in handlers,
    enqueue: () => ({ requestId: randomUUID() }),
    async invoke(request: InvokeRequest): Promise<InvocationOutcome> {
      const requestId = randomUUID();
      const base = { requestId, logs: [], durationMs: 1 };
      const handler = handlers[request.functionName];
      if (!handler) return { kind: 'unknown-function', requestId, logs: [] };
      const event = JSON.parse(request.payload.toString('utf8'));
      events.push({ functionName: request.functionName, event });
      try {
        const result = await handler(event);
        const body = Buffer.isBuffer(result) ? result : Buffer.from(JSON.stringify(result ?? null));
        return { ...base, kind: 'succeeded', body };
      } catch (error) {
        if (error instanceof SimulatedOutcome)
          return { ...base, ...error.outcome } as InvocationOutcome;
        const e = error as Error;
        return {
          ...base,
          kind: 'function-error',
          errorType: e.name,
          body: Buffer.from(JSON.stringify({ errorMessage: e.message, errorType: e.name })),
        };
      }
    },
  };
}
