/**
 * Workers in Docker containers (parity mode). AWS's Lambda images bring their own runtime client,
 * started by the image's entrypoint; any other image (the offline Debian stand-ins) gets lbuild's
 * bootstrap copied to /var/runtime. Either way the runtime reaches its Runtime API listener over
 * the Docker bridge.
 */
import type Docker from 'dockerode';
import { join } from 'node:path';
import type { ResolvedFunction } from '../../config/load.js';
import { onCleanup } from '../../docker/cleanup.js';
import { functionLabel, workerLabel } from '../../docker/labels.js';
import { runtimeSupportDir } from '../../paths.js';
import { dockerPlatform, type Language } from '../../runtimes/catalog.js';
import type { LogSink } from '../logs/sink.js';
import { functionArn } from '../pool/ids.js';
import { localSocketVar, type RuntimeApiServer } from '../runtime-api/server.js';
import { runtimeApiPlacement, type RuntimeApiPlacement } from './bridge-address.js';
import { codeFiles, layerFiles, runtimeFiles, tarOf, type CodeSource } from './code-archive.js';
import { CodeImages } from './code-image.js';
import { ContainerSandbox } from './container-sandbox.js';
import { lambdaEnvironment } from './environment.js';
import { nextWorkerId, type WorkerFactory } from './factory.js';
import { Worker } from './worker.js';

export type { CodeSource } from './code-archive.js';

export interface ContainerWorkerOptions {
  docker: Docker;
  server: RuntimeApiServer;
  logs: LogSink;
  region: string;
  code: CodeSource;
  runImage: (fn: ResolvedFunction) => string;
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
}

/** Where a worker's Runtime API socket appears inside its container. */
const containerSocketPath = '/var/lbuild/runtime-api.sock';

export class ContainerWorkerFactory implements WorkerFactory {
  readonly kind = 'container' as const;
  private readonly images: CodeImages;
  private readonly archives = new Map<string, Promise<Buffer>>();
  private readonly unregisterCleanup: () => void;

  private constructor(
    private readonly options: ContainerWorkerOptions,
    private readonly placement: RuntimeApiPlacement,
  ) {
    this.images = new CodeImages(options.docker);
    // Containers are tracked by docker/cleanup itself; the code images need a hook for Ctrl-C.
    this.unregisterCleanup = onCleanup(() => this.images.removeAll());
  }

  static async create(options: ContainerWorkerOptions): Promise<ContainerWorkerFactory> {
    return new ContainerWorkerFactory(
      options,
      options.placement ?? (await runtimeApiPlacement(options.docker, options.network)),
    );
  }

  async create(fn: ResolvedFunction, handler: string): Promise<Worker> {
    const { docker, server, logs, region } = this.options;
    const prebuilt = this.options.image;
    const runImage = prebuilt ?? this.options.runImage(fn);
    const base = await this.images.inspectBase(runImage);
    const python = fn.runtime.language === 'python';
    // AWS's clients do not know lbuild's wsgi:/asgi: handlers: those run on lbuild's bootstrap even in
    // an AWS image, from a folder of its own so AWS's /var/runtime stays untouched. A prebuilt
    // function image already made that choice in its ENTRYPOINT.
    const ownBootstrap =
      !prebuilt && (!base.hasAwsRuntime || (python && /^(wsgi|asgi):/.test(handler)));
    const bootstrapDir = ownBootstrap
      ? base.hasAwsRuntime
        ? '/var/lbuild-runtime'
        : '/var/runtime'
      : undefined;
    const image = prebuilt
      ? base.id
      : await this.images.ensure(runImage, await this.archive(fn.runtime.language, bootstrapDir), {
          [functionLabel]: fn.name,
        });
    const id = nextWorkerId(fn.name);
    // lbuild's bootstrap in a container on this host's kernel takes the Runtime API's Unix socket,
    // mounted in (the bridge's TCP costs more per call); AWS's clients use AWS_LAMBDA_RUNTIME_API.
    const mountSocket = ownBootstrap && this.placement.localSockets === true;
    const attached = await server.attach(id, {
      ...this.placement,
      ...(mountSocket ? { localSocket: 'anyone' as const } : {}),
    });
    const env = lambdaEnvironment({
      fn,
      handler,
      runtimeApi: attached.runtimeApi,
      taskRoot: '/var/task',
      runtimeDir: '/var/runtime',
      region,
      placement: 'container',
    });
    if (attached.socketPath) env[localSocketVar] = containerSocketPath;
    const entrypoint = !bootstrapDir
      ? base.entrypoint
      : python
        ? ['python3', '-B', `${bootstrapDir}/bootstrap.py`]
        : ['node', `${bootstrapDir}/bootstrap.mjs`];
    const sandbox = new ContainerSandbox({
      docker,
      image,
      entrypoint,
      cmd: [handler],
      env,
      memorySizeMb: fn.memorySize,
      ephemeralStorageMb: fn.ephemeralStorage,
      labels: { [functionLabel]: fn.name, [workerLabel]: id },
      ...(attached.socketPath
        ? { runtimeApiSocket: { host: attached.socketPath, container: containerSocketPath } }
        : {}),
      ...(this.options.network ? { network: this.options.network } : {}),
      ...(fn.architecture === 'arm64' ? { platform: dockerPlatform(fn.architecture) } : {}),
    });
    return new Worker({
      id,
      fn,
      handler,
      functionArn: functionArn(region, fn.name),
      sandbox,
      attached,
      logs,
    });
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
            files: await runtimeFiles(
              join(runtimeSupportDir, language === 'python' ? 'python' : 'node'),
            ),
          });
        return tarOf(groups);
      })();
      this.archives.set(key, archive);
      archive.catch(() => this.archives.delete(key));
    }
    return archive;
  }
}
