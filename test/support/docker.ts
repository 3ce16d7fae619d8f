/**
 * Docker tests run against a real engine. They are skipped only when no engine answers AND
 * LBUILD_REQUIRE_DOCKER is unset; CI sets it, so a missing engine fails there instead of hiding.
 */
import type Docker from 'dockerode';
import { describe } from 'vitest';
import { connectEngine } from '../../src/docker/engine.js';

let connection: Promise<Docker | undefined> | undefined;

export function dockerOrUndefined(): Promise<Docker | undefined> {
  connection ??= connectEngine()
    .then((c) => c.docker)
    .catch(() => undefined);
  return connection;
}

const available = await dockerOrUndefined();
const required = process.env.LBUILD_REQUIRE_DOCKER === '1';

/** describe() that needs an engine: skipped without one, unless LBUILD_REQUIRE_DOCKER=1. */
export const describeDocker: typeof describe = (
  available || required ? describe : describe.skip
) as typeof describe;

export async function requireDocker(): Promise<Docker> {
  const docker = await dockerOrUndefined();
  if (!docker)
    throw new Error(
      'LBUILD_REQUIRE_DOCKER=1 but no Docker engine answers: start dockerd (bash scripts/setup-docker.sh)',
    );
  return docker;
}

/**
 * Containers this test process made through lbuild that still exist (should be none after any
 * command). Scoped by the owner-pid label so other processes' containers don't count.
 */
export async function lbuildContainers(
  docker: Docker,
  pid = process.pid,
): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({
    all: true,
    filters: { label: ['dev.lbuild.managed=true', `dev.lbuild.pid=${pid}`] },
  });
}

/**
 * Names of the containers this process had lbuild create since a Unix time in seconds (fractions
 * count: the engine's log is asked from the whole second, then cut at the exact time, so a
 * container made earlier in the same second by a previous test is not counted).
 */
export async function containersCreatedSince(
  docker: Docker,
  since: number,
  pid = process.pid,
  role?: string,
): Promise<string[]> {
  const until = Math.floor(Date.now() / 1000) + 1;
  const filters: { type: ['container']; event: string[]; label: string[] } = {
    type: ['container'],
    event: ['create'],
    label: [`dev.lbuild.pid=${pid}`, ...(role ? [`dev.lbuild.role=${role}`] : [])],
  };
  const stream = (await docker.getEvents({
    since: Math.floor(since),
    until,
    filters,
  })) as unknown as AsyncIterable<Buffer>;
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text
    .split('\n')
    .filter(Boolean)
    .map(
      (line) => JSON.parse(line) as { timeNano: number; Actor: { Attributes: { name: string } } },
    )
    .filter((event) => event.timeNano / 1e9 >= since)
    .map((event) => event.Actor.Attributes.name);
}
