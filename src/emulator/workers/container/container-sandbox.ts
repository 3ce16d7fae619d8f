/**
 * A worker as a Docker container in Lambda's sandbox shape (sandbox-spec.ts). The only bind mount
 * is the worker's own Runtime API socket (when the engine shares this host's kernel); no other
 * host path, and never the Docker socket, reaches function code.
 */
import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { removeContainer, track } from '../../../docker/cleanup.js';
import { LineSplitter } from '../../logs/line-splitter.js';
import type { OutputMark } from '../../runtime-api/protocol.js';
import { ContainerMemory } from './container-memory.js';
import type { HostPortLock } from './host-port-lock.js';
import { sandboxCreateOptions, type SandboxContainerSpec } from './sandbox-spec.js';
import { OutputCounter } from '../core/output-counter.js';
import type { OutputListener, Sandbox, SandboxExit } from '../core/sandbox.js';

export interface ContainerSandboxOptions extends SandboxContainerSpec {
  docker: Docker;
  /** The worker's Runtime API Unix socket on the host, and where the runtime finds it. */
  runtimeApiSocket?: { host: string; container: string };
  /** Held from before the container is created until it is removed (a published debugger port). */
  hostPort?: HostPortLock;
}

export class ContainerSandbox implements Sandbox {
  readonly kind = 'container' as const;
  readonly exited: Promise<SandboxExit>;
  private resolveExit!: (exit: SandboxExit) => void;
  private container: Docker.Container | undefined;
  private readonly output = new OutputCounter();
  private killed = false;
  private memory: ContainerMemory | undefined;
  private releaseHostPort: (() => void) | undefined;

  constructor(private readonly options: ContainerSandboxOptions) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  get containerId(): string | undefined {
    return this.container?.id;
  }

  async start(onOutput: OutputListener): Promise<void> {
    const { docker, runtimeApiSocket, hostPort, binds, ...spec } = this.options;
    if (hostPort) {
      const release = await hostPort.acquire();
      this.releaseHostPort = release;
      if (this.killed) {
        release();
        throw new Error('the worker was stopped before its container started');
      }
    }
    let container: Docker.Container;
    try {
      container = await docker.createContainer(
        sandboxCreateOptions('worker', {
          ...spec,
          binds: [
            ...(runtimeApiSocket ? [`${runtimeApiSocket.host}:${runtimeApiSocket.container}`] : []),
            ...(binds ?? []),
          ],
        }),
      );
    } catch (error) {
      this.releaseHostPort?.();
      throw error;
    }
    this.container = container;
    track(container);
    if (this.killed) {
      // Stopped while the engine was creating it (a worker disposed during its start-up).
      await removeContainer(container).catch(() => undefined);
      this.releaseHostPort?.();
      throw new Error('the worker was stopped before its container started');
    }
    try {
      // Attach before start so no early output (an import error) is lost; wait after start, because
      // a wait on a created container ("not-running") would return at once.
      await this.attachOutput(container, onOutput);
      await container.start();
      void this.watchExit(container);
    } catch (error) {
      await this.kill();
      throw error;
    }
  }

  async kill(): Promise<void> {
    if (this.killed) return this.exited.then(() => undefined);
    this.killed = true;
    this.memory?.close();
    // Not created yet (start() in flight, or never called): start() removes what it creates.
    const container = this.container;
    if (container) {
      await removeContainer(container).catch(() => undefined);
      this.releaseHostPort?.();
    }
    // If the wait never saw the container stop (removed before it started), settle here.
    this.resolveExit({ exitCode: null, signal: 'SIGKILL', oomKilled: false });
  }

  /** The cgroup's peak: the whole container, as Lambda counts the sandbox (the runtime's own report is not enough). */
  async peakMemoryMb(): Promise<number | undefined> {
    if (!this.container) return undefined;
    this.memory ??= new ContainerMemory(this.options.docker, this.container.id);
    return this.memory.peakMb();
  }

  /**
   * Output travels runtime → containerd → dockerd → attach stream, so it can trail the runtime's
   * HTTP reply by a few ms. When the runtime says how much it wrote (lbuild's bootstraps), wait for
   * exactly that (at once, usually); otherwise until the stream has been quiet for 5 ms. At most 60 ms.
   */
  async settleOutput(written?: OutputMark): Promise<void> {
    if (written) return this.output.waitFor(written, 60);
    const start = Date.now();
    await sleep(2);
    while (Date.now() - this.output.lastOutputAt < 5 && Date.now() - start < 60) await sleep(2);
  }

  private async attachOutput(container: Docker.Container, onOutput: OutputListener): Promise<void> {
    const stream = (await container.attach({
      stream: true,
      stdout: true,
      stderr: true,
    })) as NodeJS.ReadableStream;
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    this.options.docker.modem.demuxStream(stream, stdout, stderr);
    const out = new LineSplitter((line) => onOutput('stdout', line));
    const err = new LineSplitter((line) => onOutput('stderr', line));
    // Counted after the lines are handed on, so a settled wait finds them already logged.
    stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      this.output.add('stdout', chunk.length);
    });
    stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      this.output.add('stderr', chunk.length);
    });
    stream.on('end', () => {
      out.end();
      err.end();
    });
  }

  private async watchExit(container: Docker.Container): Promise<void> {
    try {
      const result = (await container.wait()) as { StatusCode?: number };
      let oomKilled = false;
      try {
        oomKilled = (await container.inspect()).State.OOMKilled;
      } catch {
        // Already removed: it was our own kill, not an OOM.
      }
      // Exit 137 = SIGKILL; with OOMKilled set, the kernel's OOM killer sent it.
      this.resolveExit({ exitCode: result.StatusCode ?? null, oomKilled });
    } catch {
      this.resolveExit({ exitCode: null, signal: 'SIGKILL', oomKilled: false });
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
