/**
 * The timeout the emulator enforces on a function, in ms; none while a debugger may hold it at a
 * breakpoint (`--debug`). The runtime's deadline (context.getRemainingTimeInMillis()) still counts
 * from the configured timeout, so code that reads it behaves as on Lambda.
 */
import type { ResolvedFunction } from '../../../config/load.js';

export function enforcedTimeoutMs(
  fn: Pick<ResolvedFunction, 'timeout' | 'debug'>,
): number | undefined {
  return fn.debug ? undefined : fn.timeout * 1000;
}
