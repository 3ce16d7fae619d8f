/**
 * What every worker factory does once it knows what to run: attach the worker to the Runtime API,
 * give its runtime Lambda's environment, and put sandbox and endpoint together as a Worker.
 */
import type { ResolvedFunction } from '../../../config/load.js';
import type { LogSink } from '../../logs/sink.js';
import { functionArn } from '../../pool/ids.js';
import {
  localSocketVar,
  type AttachOptions,
  type RuntimeApiServer,
} from '../../runtime-api/server.js';
import { lambdaEnvironment, type EnvironmentInput } from './environment.js';
import type { Sandbox } from './sandbox.js';
import { Worker } from './worker.js';
import { nextWorkerId } from './worker-factory.js';

/** What a factory shares with all its workers. */
export interface WorkerSetting {
  server: RuntimeApiServer;
  logs: LogSink;
  region: string;
}

/** What one factory makes differently: where the runtime runs and how it reaches the Runtime API. */
export interface WorkerRecipe {
  fn: ResolvedFunction;
  handler: string;
  attach: AttachOptions;
  environment: Pick<EnvironmentInput, 'taskRoot' | 'runtimeDir' | 'placement' | 'hostPath'>;
  /** Where the runtime finds its Runtime API socket, given where the socket is on this host. */
  socketInSandbox(hostPath: string): string;
  sandbox(setup: { id: string; env: Record<string, string>; socketPath?: string }): Sandbox;
}

export async function assembleWorker(
  setting: WorkerSetting,
  recipe: WorkerRecipe,
): Promise<Worker> {
  const { fn, handler } = recipe;
  const id = nextWorkerId(fn.name);
  const attached = await setting.server.attach(id, recipe.attach);
  const env = lambdaEnvironment({
    fn,
    handler,
    runtimeApi: attached.runtimeApi,
    region: setting.region,
    ...recipe.environment,
  });
  const { socketPath } = attached;
  if (socketPath) env[localSocketVar] = recipe.socketInSandbox(socketPath);
  return new Worker({
    id,
    fn,
    handler,
    functionArn: functionArn(setting.region, fn.name),
    sandbox: recipe.sandbox({ id, env, ...(socketPath ? { socketPath } : {}) }),
    attached,
    logs: setting.logs,
  });
}
