/**
 * The emulator as a library: a Runtime API server, a pool of workers (host processes or Docker
 * containers) and the Invoke API in front. `lbuild invoke`, `lbuild serve` and the tests all start
 * it through startEmulator; the API Gateway front takes `invoker`.
 */
import type Docker from 'dockerode';
import { basename } from 'node:path';
import type { ResolvedFunction } from '../config/load.js';
import { connectEngine } from '../docker/engine.js';
import { UserError } from '../errors.js';
import { baseImageFor, imageSourceFromEnv, type ImageSource } from '../runtimes/images.js';
import { ensurePythonDebugLayer } from '../debug/python-debug-layer.js';
import { startInvokeApi } from './invoke-api/server.js';
import { LogSink } from './logs/sink.js';
import { WorkerPool } from './pool/pool.js';
import { RuntimeApiServer } from './runtime-api/server.js';
import {
  ContainerWorkerFactory,
  type CodeSource,
} from './workers/container/container-worker-factory.js';
import { emulatorRegion } from './workers/core/environment.js';
import type { WorkerFactory } from './workers/core/worker-factory.js';
import {
  ProcessWorkerFactory,
  type RuntimeCommand,
} from './workers/process/process-worker-factory.js';

export interface EmulatorOptions {
  functions: ResolvedFunction[];
  /** The function code: a folder (what `lbuild serve` watches). */
  codeDir: string;
  /** A built zip to run instead of the folder (container workers only). */
  codeZip?: string;
  workerKind?: 'process' | 'container';
  /** Image for container workers: one for all functions or one per function. */
  runImage?: string | ((fn: ResolvedFunction) => string);
  /** Without runImage: whose run images (AWS's or the offline stand-ins). Default: LBUILD_IMAGE_SOURCE. */
  imageSource?: ImageSource;
  /** Where the Invoke API listens. Default 127.0.0.1 and a free port. */
  host?: string;
  port?: number;
  region?: string;
  /** Per-function queue of invocations waiting for a worker before throttling (default 100). */
  queueSize?: number;
  /** Stop a warm worker after this long unused (default 5 minutes). */
  idleTimeoutMs?: number;
  /** Share a log sink (e.g. with the API Gateway front); a new one is made otherwise. */
  logs?: LogSink;
  /** A connected engine for container workers; connectEngine() otherwise. */
  docker?: Docker;
  /** Process workers only: run this runtime instead of lbuild's bootstrap (e.g. aws-lambda-ric). */
  runtimeCommand?: RuntimeCommand;
  /** Docker network for container workers (e.g. the compose network with the database). Default: bridge. */
  network?: string;
  /** Layer zips (Lambda's order) unpacked under /opt, on PYTHONPATH/NODE_PATH (container workers only). */
  layers?: string[];
  /** A function image (lbuild package --format image) to run as it is, instead of codeDir/codeZip (container workers only). */
  image?: string;
  /** Web functions by name → endpoint URL: the Invoke API refuses them as Lambda does. */
  webFunctions?: Record<string, string>;
  /** The project's name, for container names (lbuild-<project>-<function>-<n>-...). Default: codeDir's folder name. */
  project?: string;
  /**
   * Debugged Python functions (fn.debug): the host folder of their debug layer. Default: the one
   * src/debug/python-debug-layer.ts prepares from the runtime's build image.
   */
  debugLayer?: (fn: ResolvedFunction) => Promise<string>;
}

export interface Emulator {
  /** Base URL of the Invoke API: use as the AWS SDK's endpoint. */
  invokeUrl: string;
  runtimeApi: RuntimeApiServer;
  invoker: WorkerPool;
  logs: LogSink;
  /** The code (folder or zip) changed: drop every warm worker; the next invocations start on new code. */
  reloadCode(): Promise<void>;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const logs = options.logs ?? new LogSink();
  const region = options.region ?? emulatorRegion();
  const runtimeApi = new RuntimeApiServer('127.0.0.1');
  const factory = await makeFactory(options, { logs, region, runtimeApi }).catch(
    async (error: unknown) => {
      await runtimeApi.close();
      throw error;
    },
  );
  const invoker = new WorkerPool({
    functions: options.functions,
    factory,
    logs,
    ...(options.queueSize !== undefined ? { queueSize: options.queueSize } : {}),
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
  });
  // A debugged function's worker starts now, so its debugger can attach before the first request.
  if ((options.workerKind ?? 'process') === 'container')
    await Promise.all(
      options.functions.filter((fn) => fn.debug).map((fn) => invoker.prewarm(fn.name)),
    );
  let invokeApi;
  try {
    invokeApi = await startInvokeApi({
      invoker,
      region,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      ...(options.webFunctions ? { webFunctions: options.webFunctions } : {}),
    });
  } catch (error) {
    await invoker.dispose();
    await runtimeApi.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    invokeUrl: invokeApi.url,
    runtimeApi,
    invoker,
    logs,
    reloadCode: () => invoker.recycleAll(),
    close: () =>
      (closing ??= (async () => {
        await invokeApi.close();
        await invoker.dispose();
        await runtimeApi.close();
      })()),
  };
}

async function makeFactory(
  options: EmulatorOptions,
  shared: { logs: LogSink; region: string; runtimeApi: RuntimeApiServer },
): Promise<WorkerFactory> {
  if ((options.workerKind ?? 'process') === 'process') {
    if (options.layers?.length || options.image) {
      throw new UserError(
        `${options.image ? 'a function image' : 'layers'} need container workers`,
        { hint: "Start the emulator with workerKind: 'container'." },
      );
    }
    return new ProcessWorkerFactory({
      server: shared.runtimeApi,
      logs: shared.logs,
      codeDir: options.codeDir,
      region: shared.region,
      ...(options.runtimeCommand ? { runtimeCommand: options.runtimeCommand } : {}),
    });
  }
  const docker = options.docker ?? (await connectEngine()).docker;
  const code: CodeSource = options.codeZip ? { zip: options.codeZip } : { dir: options.codeDir };
  const runImage = options.runImage;
  // Default: the runtime's run image from the catalog (AWS's, or the offline stand-in).
  const imageFor =
    typeof runImage === 'function'
      ? runImage
      : runImage
        ? () => runImage
        : (fn: ResolvedFunction) =>
            baseImageFor(
              fn.runtime,
              'run',
              fn.architecture,
              options.imageSource ?? imageSourceFromEnv(),
            );
  return ContainerWorkerFactory.create({
    docker,
    server: shared.runtimeApi,
    logs: shared.logs,
    region: shared.region,
    code,
    runImage: imageFor,
    project: options.project ?? basename(options.codeDir),
    ...(options.network ? { network: options.network } : {}),
    ...(options.layers?.length ? { layers: options.layers } : {}),
    ...(options.image ? { image: options.image } : {}),
    debugLayer:
      options.debugLayer ??
      ((fn) =>
        ensurePythonDebugLayer(
          docker,
          fn.runtime,
          fn.architecture,
          options.imageSource ?? imageSourceFromEnv(),
        )),
  });
}

export type { InvocationOutcome, InvokeRequest, Invoker } from './types.js';
export type { LogEvent, LogListener } from './logs/sink.js';
export { LogSink } from './logs/sink.js';
export {
  LineBatcher,
  pipeLogs,
  renderHuman,
  renderJson,
  logTail,
  type LogFormat,
} from './logs/render.js';
export { eventMatches, type LogFilter } from './logs/log-filter.js';
export {
  applicationLogLevels,
  normalizeLevel,
  type ApplicationLogLevel,
} from './logs/log-levels.js';
export { WorkerPool } from './pool/pool.js';
export type { RuntimeCommand } from './workers/process/process-worker-factory.js';
export { RuntimeApiServer } from './runtime-api/server.js';
export { platformErrorPayload, outcomeErrorType } from './workers/core/outcome-payload.js';
