/**
 * One execution environment of a web function: a container of the runtime's run image in the same
 * sandbox as event workers (read-only code, /tmp tmpfs, non-root, 2 GB), started as Lambda starts
 * it: `node <entry>` in /var/task with AWS_LAMBDA_HTTP_ENDPOINT. Ready once something accepts on
 * that address, within 10 s.
 *
 * The front (on this host) dials the container's address on its Docker network, not a published
 * port: docker-proxy accepts on a published port even when nothing listens in the container, which
 * would make the readiness probe lie. That needs an engine sharing this host's network (Linux);
 * Docker Desktop and remote engines are not supported for web functions yet.
 */
import type Docker from 'dockerode';
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { functionLabel, workerLabel } from '../../docker/labels.js';
import { dockerPlatform } from '../../runtimes/catalog.js';
import type { ResolvedFunction } from '../../config/resolved-project.js';
import { ContainerSandbox } from '../workers/container/container-sandbox.js';
import { initErrorTypes } from './web-answers.js';
import { applicationLine, platformEvent, type WebLogContext } from './web-logs.js';

/** Where the app listens inside its container (observed on Lambda: 0.0.0.0:3000). */
export const webListenPort = 3000;
/** The contract: the server must listen within 10 s of start. */
export const readinessTimeoutMs = 10_000;
/** Lambda's fixed size for web functions. */
const webMemoryMb = 2048;
const webTmpMb = 512;
/** The contract: SIGTERM, then at most 1 s before the kill. */
const shutdownGraceSeconds = 1;

export class WebInitError extends Error {
  constructor(
    readonly errorType: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface WebEnvironmentOptions {
  docker: Docker;
  fn: ResolvedFunction;
  /** The code image: the run image with the package in /var/task (built once per code version). */
  image: Promise<string>;
  name: string;
  network: string | undefined;
  region: string;
  log: WebLogContext;
}

export type WebEnvironmentState = 'starting' | 'ready' | 'draining' | 'gone';

export class WebEnvironment {
  readonly instance = randomUUID().slice(0, 8);
  state: WebEnvironmentState = 'starting';
  /** Requests routed here and not yet answered (waiting for readiness included). */
  inFlight = 0;
  /** The ids of those requests: a line of output belongs to one when it is alone. */
  readonly requestIds = new Set<string>();
  address: { host: string; port: number } | undefined;
  /**
   * Kept-alive connections to this environment only: Docker may give a later environment the same
   * address, and a socket of a dead one must never be reused for it.
   */
  readonly agent = new Agent({ keepAlive: true });
  readonly ready: Promise<void>;
  /** Settles when the container exits (a crash) or is stopped. */
  readonly exited: Promise<void>;
  private markExited!: () => void;
  private sandbox: ContainerSandbox | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: WebEnvironmentOptions) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
    this.ready = this.start();
    // A failed start is reported through `ready` to whoever waits; nobody waiting is fine too.
    this.ready.catch(() => undefined);
  }

  private sandboxFor(image: string): ContainerSandbox {
    const { fn, docker } = this.options;
    return new ContainerSandbox({
      docker,
      name: this.options.name,
      image,
      entrypoint: ['node'],
      cmd: [fn.web!.entryPoint],
      env: webEnvironment(fn, this.options.region),
      memorySizeMb: webMemoryMb,
      ephemeralStorageMb: webTmpMb,
      labels: { [functionLabel]: fn.name, [workerLabel]: this.instance },
      ...(this.options.network ? { network: this.options.network } : {}),
      ...(fn.architecture === 'arm64' ? { platform: dockerPlatform(fn.architecture) } : {}),
    });
  }

  private async start(): Promise<void> {
    const { fn, log } = this.options;
    const started = Date.now();
    platformEvent(log, {
      type: 'platform.initStart',
      instance: this.instance,
      record: {
        functionName: fn.name,
        revisionId: '$LOCAL',
        instanceId: this.instance,
        initializationType: 'native-http',
        runtimeVersion: fn.runtime.name,
      },
    });
    try {
      const sandbox = this.sandboxFor(await this.options.image);
      if (this.state === 'gone')
        throw new WebInitError(initErrorTypes.exited, 'stopped during init');
      this.sandbox = sandbox;
      void sandbox.exited.then(() => this.markExited());
      await sandbox.start((stream, text) =>
        applicationLine(log, {
          text,
          stream,
          instance: this.instance,
          // Init output belongs to no request, even when one waits for this environment.
          requestId:
            this.state !== 'starting' && this.requestIds.size === 1
              ? [...this.requestIds][0]
              : undefined,
        }),
      );
      // The 10 s count from the process's start: building the code image or creating the container is ours.
      const processStarted = Date.now();
      this.address = { host: await this.containerIp(), port: webListenPort };
      await this.waitUntilListening(processStarted);
    } catch (error) {
      const failure =
        error instanceof WebInitError
          ? error
          : new WebInitError(initErrorTypes.exited, (error as Error).message);
      platformEvent(log, {
        type: 'platform.initReport',
        instance: this.instance,
        level: 'ERROR',
        record: {
          initializationType: 'native-http',
          phase: 'init',
          status: 'failure',
          errorType: failure.errorType,
          metrics: { durationMs: Date.now() - started },
        },
      });
      this.state = 'gone';
      await this.sandbox?.kill();
      this.markExited();
      throw failure;
    }
    if (this.state === 'starting') this.state = 'ready';
    platformEvent(log, {
      type: 'platform.initReport',
      instance: this.instance,
      record: {
        initializationType: 'native-http',
        phase: 'init',
        status: 'success',
        metrics: { durationMs: Date.now() - started },
      },
    });
  }

  private async containerIp(): Promise<string> {
    const info = await this.options.docker.getContainer(this.sandbox!.containerId!).inspect();
    const networks = info.NetworkSettings.Networks as Record<string, { IPAddress?: string }>;
    const ip = networks[this.options.network ?? 'bridge']?.IPAddress;
    if (!ip) throw new WebInitError(initErrorTypes.exited, 'the container has no network address');
    return ip;
  }

  /** Probes with a TCP connect (the contract's readiness is "accepts"), until the deadline or exit. */
  private async waitUntilListening(started: number): Promise<void> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() - started < readinessTimeoutMs) {
      if (exited || this.state === 'gone')
        throw new WebInitError(initErrorTypes.exited, 'the server exited during init');
      if (await accepts(this.address!.host, this.address!.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new WebInitError(
      initErrorTypes.notListening,
      `nothing listened on AWS_LAMBDA_HTTP_ENDPOINT (0.0.0.0:${webListenPort}) within ${readinessTimeoutMs / 1000} s`,
    );
  }

  /** Stop routing here; the owner stops it once nothing is in flight. */
  drain(): void {
    if (this.state !== 'gone') this.state = 'draining';
  }

  /** SIGTERM, at most 1 s, then the kill; the container is removed either way. */
  stop(): Promise<void> {
    return (this.stopping ??= (async () => {
      const { log } = this.options;
      const wasRunning = this.state !== 'gone';
      this.state = 'gone';
      if (wasRunning)
        platformEvent(log, { type: 'platform.spinDownStart', instance: this.instance, record: {} });
      const id = this.sandbox?.containerId;
      if (id && wasRunning)
        await this.options.docker
          .getContainer(id)
          .stop({ t: shutdownGraceSeconds })
          .catch(() => undefined);
      await this.sandbox?.kill();
      this.agent.destroy();
      this.markExited();
      if (wasRunning)
        platformEvent(log, {
          type: 'platform.spinDownReport',
          instance: this.instance,
          record: {},
        });
    })());
  }
}

/** The contract's variables (PORT is not set; neither is AWS_LAMBDA_FUNCTION_NAME), then the user's. */
export function webEnvironment(fn: ResolvedFunction, region: string): Record<string, string> {
  return {
    ...fn.environment,
    AWS_LAMBDA_HTTP_ENDPOINT: `0.0.0.0:${webListenPort}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'native-http',
    // Set as on Lambda; nothing answers on them locally yet. (inferred addresses)
    AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
    AWS_LAMBDA_METADATA_API: '127.0.0.1:9002',
    AWS_LAMBDA_METADATA_TOKEN: randomUUID(),
    AWS_REGION: region,
    ...(fn.web?.entryPointSet ? { AWS_LAMBDA_NODEJS_ENTRYPOINT: fn.web.entryPoint } : {}),
  };
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
