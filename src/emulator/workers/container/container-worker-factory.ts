/**
 * Workers in Docker containers (parity mode). AWS's Lambda images bring their own runtime client,
 * started by the image's entrypoint; any other image (the offline Debian stand-ins) gets lbuild's
 * bootstrap copied to /var/runtime. Either way the runtime reaches its Runtime API listener over
 * the Docker bridge.
 */
import type Docker from 'dockerode';
import type { ResolvedFunction } from '../../../config/load.js';
import { onCleanup } from '../../../docker/cleanup.js';
import { functionLabel, workerLabel } from '../../../docker/labels.js';
import { dockerPlatform, type Language } from '../../../runtimes/catalog.js';
import type { LogSink } from '../../logs/sink.js';
import type { RuntimeApiServer } from '../../runtime-api/server.js';
import { assembleWorker } from '../core/assemble-worker.js';
import { bootstrapSourceDir } from '../core/bootstrap.js';
import type { Worker } from '../core/worker.js';
import type { WorkerFactory } from '../core/worker-factory.js';
import { runtimeApiPlacement, type RuntimeApiPlacement } from './bridge-address.js';
import { codeFiles, layerFiles, runtimeFiles, tarOf, type CodeSource } from './code-archive.js';
import { CodeImages } from './code-image.js';
import { containerEntrypoint, ownBootstrapDir } from './container-bootstrap.js';
import { ContainerSandbox } from './container-sandbox.js';
import { debugLaunch, type DebugLaunch } from './debug-launch.js';
import { HostPortLock } from './host-port-lock.js';
import { WorkerContainerNames } from './worker-container-names.js';

export type { CodeSource } from './code-archive.js';

export interface ContainerWorkerFactoryOptions {
  docker: Docker;
  server: RuntimeApiServer;
  logs: LogSink;
  region: string;
  code: CodeSource;
  runImage: (fn: ResolvedFunction) => string;
  /** The project's name, for the names of its worker containers (lbuild-<project>-<function>-<n>-...). */
  project: string;
  /** Docker network the workers join (default: the default bridge). */
  network?: string;
  /** Override where the Runtime API listens for containers (default: the network's gateway). */
  placement?: RuntimeApiPlacement;
  /** Layer zips, in Lambda's order, unpacked under /opt beside the code. */
  layers?: string[];
  /**
   * A prebuilt function image (lbuild package --format image) run as it is: its own ENTRYPOINT,
   * no code archive, never removed by the factory. `code`, `runImage` and `layers` are not used.
   */
  image?: string;
  /**
   * The debug layer's folder on this host for a debugged Python function (debugpy; see
   * src/debug/python-debug-layer.ts). Asked once per function, for its first debugged worker.
   */
  debugLayer?: (fn: ResolvedFunction) => Promise<string>;
}

/** What a worker's container runs, decided before its Runtime API endpoint exists. */
interface ContainerPlan {
  image: string;
  entrypoint: string[];
  /** lbuild's bootstrap runs (not the image's own runtime client). */
  ownBootstrap: boolean;
  /** Set for a debugged function: how its runtime starts under the debugger. */
  debug?: (env: Record<string, string>) => DebugLaunch;
}

/** Where a worker's Runtime API socket appears inside its container. */
const containerSocketPath = '/var/lbuild/runtime-api.sock';

export class ContainerWorkerFactory implements WorkerFactory {
  readonly kind = 'container' as const;
  private readonly images: CodeImages;
  private readonly names: WorkerContainerNames;
  private readonly archives = new Map<string, Promise<Buffer>>();
  private readonly debugLayers = new Map<string, Promise<string>>();
  private readonly hostPorts = new Map<number, HostPortLock>();
  private readonly unregisterCleanup: () => void;

  private constructor(
    private readonly options: ContainerWorkerFactoryOptions,
    private readonly placement: RuntimeApiPlacement,
  ) {
    this.names = new WorkerContainerNames(options.project);
    this.images = new CodeImages(options.docker, () => this.names.codeStaging());
    // Containers are tracked by docker/cleanup itself; the code images need a hook for Ctrl-C.
    this.unregisterCleanup = onCleanup(() => this.images.removeAll());
  }

  static async create(options: ContainerWorkerFactoryOptions): Promise<ContainerWorkerFactory> {
    return new ContainerWorkerFactory(
      options,
      options.placement ?? (await runtimeApiPlacement(options.docker, options.network)),
    );
  }

  async create(fn: ResolvedFunction, handler: string): Promise<Worker> {
    const plan = await this.plan(fn, handler);
    // lbuild's bootstrap in a container on this host's kernel takes the Runtime API's Unix socket,
    // mounted in (the bridge's TCP costs more per call); AWS's clients use AWS_LAMBDA_RUNTIME_API.
    const mountSocket = plan.ownBootstrap && this.placement.localSockets === true;
    return assembleWorker(this.options, {
      fn,
      handler,
      attach: { ...this.placement, ...(mountSocket ? { localSocket: 'anyone' as const } : {}) },
      environment: { taskRoot: '/var/task', runtimeDir: '/var/runtime', placement: 'container' },
      socketInSandbox: () => containerSocketPath,
      sandbox: ({ id, env, socketPath }) => {
        const debug = plan.debug?.(env);
        return new ContainerSandbox({
          docker: this.options.docker,
          name: this.names.next(fn.name),
          image: plan.image,
          entrypoint: debug?.entrypoint ?? plan.entrypoint,
          cmd: [handler],
          env: { ...env, ...debug?.env },
          ...(debug
            ? {
                binds: debug.binds,
                publish: debug.publish,
                hostPort: this.hostPortLock(debug.publish[0]!.host),
              }
            : {}),
          memorySizeMb: fn.memorySize,
          ephemeralStorageMb: fn.ephemeralStorage,
          labels: { [functionLabel]: fn.name, [workerLabel]: id },
          ...(socketPath
            ? { runtimeApiSocket: { host: socketPath, container: containerSocketPath } }
            : {}),
          ...(this.options.network ? { network: this.options.network } : {}),
          ...(fn.architecture === 'arm64' ? { platform: dockerPlatform(fn.architecture) } : {}),
        });
      },
    });
  }

  private hostPortLock(port: number): HostPortLock {
    let lock = this.hostPorts.get(port);
    if (!lock) this.hostPorts.set(port, (lock = new HostPortLock(port)));
    return lock;
  }

  /** The debug layer for a debugged Python function, prepared once per runtime and architecture. */
  private debugLayerFor(fn: ResolvedFunction): Promise<string | undefined> {
    if (fn.runtime.language !== 'python') return Promise.resolve(undefined);
    const make = this.options.debugLayer;
    if (!make) throw new Error('debugging a Python function needs the debugLayer option');
    const key = `${fn.runtime.name}:${fn.architecture}`;
    let layer = this.debugLayers.get(key);
    if (!layer) {
      layer = make(fn);
      this.debugLayers.set(key, layer);
      layer.catch(() => this.debugLayers.delete(key));
    }
    return layer;
  }

  async invalidate(): Promise<void> {
    this.archives.clear();
    await this.images.forget();
  }

  async dispose(): Promise<void> {
    this.unregisterCleanup();
    this.archives.clear();
    await this.images.removeAll();
  }

  /** The image (with the code in it) and the entrypoint of this function's workers. */
  private async plan(fn: ResolvedFunction, handler: string): Promise<ContainerPlan> {
    const language = fn.runtime.language;
    const prebuilt = this.options.image;
    const runImage = prebuilt ?? this.options.runImage(fn);
    const base = await this.images.inspectBase(runImage);
    // A prebuilt function image already chose its runtime client, in its ENTRYPOINT.
    const bootstrapDir = prebuilt ? undefined : ownBootstrapDir(language, handler, base);
    const image = prebuilt
      ? base.id
      : await this.images.ensure(runImage, await this.archive(language, bootstrapDir), {
          [functionLabel]: fn.name,
        });
    const { debug } = fn;
    const layerDir = debug ? await this.debugLayerFor(fn) : undefined;
    return {
      image,
      entrypoint: containerEntrypoint(language, bootstrapDir, base),
      ownBootstrap: bootstrapDir !== undefined,
      ...(debug && !prebuilt
        ? {
            debug: (env: Record<string, string>) =>
              debugLaunch({ debug, language, bootstrapDir, base, env, layerDir }),
          }
        : {}),
    };
  }

  /** The tar for putArchive: code under var/task, plus lbuild's bootstrap when the image needs one. */
  private archive(language: Language, bootstrapDir: string | undefined): Promise<Buffer> {
    const key = `${language}:${bootstrapDir ?? ''}`;
    let archive = this.archives.get(key);
    if (!archive) {
      archive = (async () => {
        const groups = [{ prefix: 'var/task/', files: await codeFiles(this.options.code) }];
        if (this.options.layers?.length)
          groups.push({ prefix: 'opt/', files: await layerFiles(this.options.layers) });
        if (bootstrapDir)
          groups.push({
            prefix: `${bootstrapDir.slice(1)}/`,
            files: await runtimeFiles(bootstrapSourceDir(language)),
          });
        return tarOf(groups);
      })();
      this.archives.set(key, archive);
      archive.catch(() => this.archives.delete(key));
    }
    return archive;
  }
}
