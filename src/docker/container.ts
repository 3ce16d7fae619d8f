/**
 * A short-lived working container: created with lbuild labels, fed with putArchive, driven with exec,
 * emptied with getArchive, and always removed. No bind mounts, so it works the same against a remote
 * engine or Docker-in-Docker.
 */
import type Docker from 'dockerode';
import { PassThrough, type Readable } from 'node:stream';
import { lbuildLabels, type ResourceRole } from './labels.js';
import { createTracked, removeContainer } from './cleanup.js';
import { containerName } from './container-name.js';

export interface WorkContainerOptions {
  image: string;
  role: ResourceRole;
  /** The project it works for: named lbuild-<project>-<role>-<random> (lbuild-<role>-... without). */
  project?: string;
  env?: Record<string, string>;
  platform?: string;
  workingDir?: string;
  user?: string;
  labels?: Record<string, string>;
}

export interface ExecResult {
  exitCode: number;
  output: string;
}

export class WorkContainer {
  private constructor(
    private readonly docker: Docker,
    readonly container: Docker.Container,
  ) {}

  static async start(docker: Docker, options: WorkContainerOptions): Promise<WorkContainer> {
    const container = await createTracked(() =>
      docker.createContainer({
        name: containerName(options.project ? [options.project, options.role] : [options.role]),
        Image: options.image,
        // Idle until we exec into it; `sleep infinity` exists in every glibc userland we target.
        Cmd: ['sleep', 'infinity'],
        Entrypoint: [],
        Env: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`),
        WorkingDir: options.workingDir,
        User: options.user,
        Labels: lbuildLabels(options.role, options.labels),
        HostConfig: { AutoRemove: false, Init: true },
        ...(options.platform ? { platform: options.platform } : {}),
      }),
    );
    try {
      await container.start();
    } catch (error) {
      await removeContainer(container);
      throw error;
    }
    return new WorkContainer(docker, container);
  }

  get id(): string {
    return this.container.id;
  }

  async putArchive(tar: Readable | Buffer, path: string): Promise<void> {
    await this.container.putArchive(tar as unknown as NodeJS.ReadableStream, { path });
  }

  async getArchive(path: string): Promise<Readable> {
    return (await this.container.getArchive({ path })) as unknown as Readable;
  }

  /** Run a command; collect stdout+stderr interleaved, and pass each line to onLine as it arrives. */
  async exec(
    cmd: string[],
    options: {
      env?: Record<string, string>;
      workingDir?: string;
      /** Run as this user instead of the image's (e.g. root, to install OS packages). */
      user?: string;
      onLine?: (line: string) => void;
    } = {},
  ): Promise<ExecResult> {
    const exec = await this.container.exec({
      Cmd: cmd,
      AttachStdout: true,
      AttachStderr: true,
      Env: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`),
      WorkingDir: options.workingDir,
      ...(options.user ? { User: options.user } : {}),
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const sink = new PassThrough();
    this.docker.modem.demuxStream(stream, sink, sink);
    let output = '';
    let partial = '';
    sink.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (options.onLine) {
        partial += text;
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) options.onLine(line);
      }
    });
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    if (partial && options.onLine) options.onLine(partial);
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? -1, output };
  }

  async remove(): Promise<void> {
    await removeContainer(this.container);
  }
}
