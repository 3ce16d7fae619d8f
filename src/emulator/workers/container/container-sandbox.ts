/**
 * A worker as a Docker container, shaped like Lambda's sandbox: read-only root file system, a
 * /tmp tmpfs sized by ephemeralStorage, a non-root user, memory limit = memorySize with no swap
 * (so exceeding it is an OOM kill, as on Lambda), 1,024 processes and file descriptors, no
 * capabilities. The only bind mount is the worker's own Runtime API socket (when the engine shares
 * this host's kernel); no other host path, and never the Docker socket, reaches function code.
 */
import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { removeContainer, track } from '../../../docker/cleanup.js';
import { lbuildLabels } from '../../../docker/labels.js';
import { LineSplitter } from '../../logs/line-splitter.js';
import type { OutputMark } from '../../runtime-api/protocol.js';
import { ContainerMemory } from './container-memory.js';
import { OutputCounter } from '../core/output-counter.js';
import type { OutputListener, Sandbox, SandboxExit } from '../core/sandbox.js';

/** Lambda runs functions as sbx_user1051, uid/gid 993. */
export const lambdaUser = '993:993';

export interface ContainerSandboxOptions {
  docker: Docker;
  /** The container's name in `docker ps` (see worker-container-names.ts). */
  name: string;
  image: string;
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
  memorySizeMb: number;
  ephemeralStorageMb: number;
  labels: Record<string, string>;
  platform?: string;
  /** Docker network to join; the default bridge when absent. */
  network?: string;
  /** The worker's Runtime API Unix socket on the host, and where the runtime finds it. */
  runtimeApiSocket?: { host: string; container: string };
}

const mib = 1024 * 1024;

export class ContainerSandbox implements Sandbox {
  readonly kind = 'container' as const;
  readonly exited: Promise<SandboxExit>;
  private resolveExit!: (exit: SandboxExit) => void;
  private container: Docker.Container | undefined;
  private readonly output = new OutputCounter();
  private killed = false;
  private memory: ContainerMemory | undefined;

  constructor(private readonly options: ContainerSandboxOptions) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  get containerId(): string | undefined {
    return this.container?.id;
  }

  async start(onOutput: OutputListener): Promise<void> {
    const o = this.options;
    const container = await o.docker.createContainer({
      name: o.name,
      Image: o.image,
      Entrypoint: o.entrypoint,
      Cmd: o.cmd,
      Env: Object.entries(o.env).map(([key, value]) => `${key}=${value}`),
      User: lambdaUser,
      WorkingDir: '/var/task',
      Labels: lbuildLabels('worker', o.labels),
      HostConfig: {
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': `rw,nosuid,nodev,size=${o.ephemeralStorageMb}m,mode=1777` },
        Memory: o.memorySizeMb * mib,
        MemorySwap: o.memorySizeMb * mib,
        PidsLimit: 1024,
        Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 1024 }],
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        // Lets function code reach services on the developer's machine, as a VPC would reach a database.
        ExtraHosts: ['host.docker.internal:host-gateway'],
        // A tiny init as PID 1 reaps the function's child processes and passes signals on.
        Init: true,
        AutoRemove: false,
        ...(o.network ? { NetworkMode: o.network } : {}),
        ...(o.runtimeApiSocket
          ? { Binds: [`${o.runtimeApiSocket.host}:${o.runtimeApiSocket.container}`] }
          : {}),
      },
      ...(o.platform ? { platform: o.platform } : {}),
    });
    this.container = container;
    track(container);
    if (this.killed) {
      // Stopped while the engine was creating it (a worker disposed during its start-up).
      await removeContainer(container).catch(() => undefined);
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
    if (container) await removeContainer(container).catch(() => undefined);
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
