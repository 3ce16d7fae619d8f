/**
 * Lambda Web Functions in `lbuild serve`: per web function, an endpoint on its own local port and
 * a pool of environments (containers of the run image with the package in /var/task). The code
 * image is shared by a function's environments and rebuilt once per code version.
 */
import type Docker from 'dockerode';
import type { ResolvedFunction } from '../../config/resolved-project.js';
import { onCleanup } from '../../docker/cleanup.js';
import { functionLabel } from '../../docker/labels.js';
import { baseImageFor, type ImageSource } from '../../runtimes/images.js';
import type { LogSink } from '../logs/sink.js';
import { EnvironmentError } from '../../errors.js';
import { runtimeApiPlacement } from '../workers/container/bridge-address.js';
import { codeFiles, tarOf } from '../workers/container/code-archive.js';
import { CodeImages } from '../workers/container/code-image.js';
import { WorkerContainerNames } from '../workers/container/worker-container-names.js';
import { startWebEndpoint, type WebEndpoint } from './web-endpoint.js';
import { WebEnvironment } from './web-environment.js';
import { WebFunctionPool } from './web-pool.js';

export { webAnswers } from './web-answers.js';

export interface WebFunctionsOptions {
  docker: Docker;
  functions: ResolvedFunction[];
  /** The package (lbuild serve's zip); reloadCode() reads it again. */
  codeZip: string;
  project: string;
  imageSource: ImageSource;
  region: string;
  logs: LogSink;
  /** The stack's Docker network (the database's); the default bridge when absent. */
  network?: string;
}

export interface WebFunctions {
  endpoints: Array<{ functionName: string; url: string }>;
  pools: Map<string, WebFunctionPool>;
  /** The package changed: drain the running environments; new requests start on the new code. */
  reloadCode(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebFunctions(options: WebFunctionsOptions): Promise<WebFunctions> {
  const { docker } = options;
  await assertContainersReachable(docker, options.network);
  const names = new WorkerContainerNames(options.project);
  const images = new CodeImages(docker, () => names.codeStaging());
  const unregister = onCleanup(() => images.removeAll());
  let archive: Promise<Buffer> | undefined;
  const codeArchive = () =>
    (archive ??= codeFiles({ zip: options.codeZip }).then((files) =>
      tarOf([{ prefix: 'var/task/', files }]),
    ));
  const pools = new Map<string, WebFunctionPool>();
  const endpoints: WebEndpoint[] = [];
  // Pools first: their in-flight requests still need the endpoints to answer through.
  const close = async () => {
    await Promise.all([...pools.values()].map((pool) => pool.close()));
    await Promise.all(endpoints.map((endpoint) => endpoint.close()));
    unregister();
    await images.removeAll();
  };
  try {
    for (const fn of options.functions) {
      const log = { sink: options.logs, functionName: fn.name, region: options.region };
      const runImage = baseImageFor(fn.runtime, 'run', fn.architecture, options.imageSource);
      const pool = new WebFunctionPool({
        fn,
        create: () =>
          new WebEnvironment({
            docker,
            fn,
            image: codeArchive().then((tar) =>
              images.ensure(runImage, tar, { [functionLabel]: fn.name }),
            ),
            name: names.next(fn.name),
            network: options.network,
            region: options.region,
            log,
          }),
      });
      pools.set(fn.name, pool);
      // Checked now, not at the first request: a missing run image is a start-up error.
      await images.inspectBase(runImage);
      endpoints.push(await startWebEndpoint({ fn, pool, log, port: fn.web!.port }));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    endpoints: endpoints.map(({ functionName, url }) => ({ functionName, url })),
    pools,
    reloadCode: async () => {
      archive = undefined;
      // Old images stay while their draining containers use them; removeAll() takes them at the end.
      await images.forget();
      for (const pool of pools.values()) pool.reload();
    },
    close,
  };
}

/**
 * The endpoints dial each environment at its address on the Docker network (web-environment.ts
 * says why), which only works when the engine's bridge is one of this machine's interfaces.
 */
async function assertContainersReachable(docker: Docker, network: string | undefined) {
  const placement = await runtimeApiPlacement(docker, network);
  if (placement.localSockets) return;
  throw new EnvironmentError(
    "web functions need a Docker engine on this machine's network: containers' addresses are not reachable from here (Docker Desktop or a remote engine)",
    {
      hint: 'Run lbuild serve on the Linux machine (or in the dev container) where the Docker engine runs.',
    },
  );
}
