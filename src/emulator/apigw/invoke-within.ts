import type { InvocationOutcome, Invoker } from '../types.js';

/**
 * Race the invocation against the integration timeout; the function keeps running, as in AWS.
 * `timeoutMs` undefined: no integration timeout (the function is under a debugger).
 */
export async function invokeWithin(
  invoker: Invoker,
  functionName: string,
  payload: Buffer,
  timeoutMs: number | undefined,
): Promise<InvocationOutcome | 'gateway-timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const invocation = invoker.invoke({ functionName, payload });
  if (timeoutMs === undefined) return invocation;
  const timeout = new Promise<'gateway-timeout'>((resolve) => {
    timer = setTimeout(() => resolve('gateway-timeout'), timeoutMs);
  });
  try {
    return await Promise.race([invocation, timeout]);
  } finally {
    clearTimeout(timer);
    invocation.catch(() => {}); // a late failure after we answered must not become an unhandled rejection
  }
}
