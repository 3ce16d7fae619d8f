/**
 * One command in one container, to completion: output handed on chunk by chunk as the engine
 * delivers it (partial lines too: Django prints "Applying x..." before " OK"), stopped at its
 * timeout, removed afterwards whatever happened (Ctrl-C included: the container is tracked).
 */
import type Docker from 'dockerode';
import { Writable } from 'node:stream';
import { createTracked, removeContainer } from '../docker/cleanup.js';

export type CommandEnd =
  | { kind: 'exited'; exitCode: number; oomKilled: boolean; durationMs: number }
  | { kind: 'timed-out'; durationMs: number };

export interface CommandRunOptions {
  timeoutMs: number;
  onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

/** Output can trail the container's exit by a moment: wait for the attach stream to end, this long at most. */
const outputDrainMs = 2000;

export async function runCommandContainer(
  docker: Docker,
  create: Docker.ContainerCreateOptions,
  options: CommandRunOptions,
): Promise<CommandEnd> {
  const container = await createTracked(() => docker.createContainer(create));
  try {
    // Attached before start, so the first lines (an import error) are not lost.
    const { drained } = await attach(docker, container, options.onOutput);
    await container.start();
    const started = performance.now();
    const end = await waitOrTimeout(container, options.timeoutMs);
    const durationMs = performance.now() - started;
    if (end === 'timed-out') return { kind: 'timed-out', durationMs };
    await Promise.race([drained, sleep(outputDrainMs)]);
    const { OOMKilled } = (await container.inspect()).State;
    return { kind: 'exited', exitCode: end.StatusCode, oomKilled: OOMKilled, durationMs };
  } finally {
    await removeContainer(container).catch(() => undefined);
  }
}

/** `drained` resolves when the attach stream has ended (all output delivered). */
async function attach(
  docker: Docker,
  container: Docker.Container,
  onOutput: CommandRunOptions['onOutput'],
): Promise<{ drained: Promise<void> }> {
  const stream = (await container.attach({
    stream: true,
    stdout: true,
    stderr: true,
  })) as NodeJS.ReadableStream;
  const sink = (name: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        onOutput(name, chunk);
        callback();
      },
    });
  docker.modem.demuxStream(stream, sink('stdout'), sink('stderr'));
  // Wrapped in an object: an async function returning a promise would wait for it.
  const drained = new Promise<void>((resolve) => {
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });
  return { drained };
}

async function waitOrTimeout(
  container: Docker.Container,
  timeoutMs: number,
): Promise<{ StatusCode: number } | 'timed-out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), timeoutMs);
  });
  try {
    return await Promise.race([container.wait() as Promise<{ StatusCode: number }>, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
