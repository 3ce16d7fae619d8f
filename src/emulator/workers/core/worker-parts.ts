/**
 * What a worker is made of. Its own module so that the worker (worker.ts) and its init phase
 * (worker-init.ts) can both use it without importing each other.
 */
import type { ResolvedFunction } from '../../../config/load.js';
import type { LogSink } from '../../logs/sink.js';
import type { AttachedWorker } from '../../runtime-api/server.js';
import type { Sandbox } from './sandbox.js';

export type WorkerState = 'new' | 'busy' | 'idle' | 'dead';

export interface WorkerParts {
  id: string;
  fn: ResolvedFunction;
  handler: string;
  functionArn: string;
  sandbox: Sandbox;
  attached: AttachedWorker;
  logs: LogSink;
}
