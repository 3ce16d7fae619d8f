/** How the pool gets new workers, whatever they run in (host process or container). */
import type { ResolvedFunction } from '../../../config/load.js';
import type { Worker } from './worker.js';

export interface WorkerFactory {
  readonly kind: 'process' | 'container';
  /** Prepare a worker for this function and handler; it starts (init) on its first invocation. */
  create(fn: ResolvedFunction, handler: string): Promise<Worker>;
  /** The function's code changed: forget anything prepared from the old code. */
  invalidate(functionName: string): Promise<void>;
  /** Release what the factory holds (images, temporary files). */
  dispose(): Promise<void>;
}

let sequence = 0;
/** Short, unique, readable worker ids: "<function>-<n>". */
export function nextWorkerId(functionName: string): string {
  sequence += 1;
  return `${functionName}-${sequence}`;
}
