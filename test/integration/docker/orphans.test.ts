/**
 * A killed lbuild (SIGKILL, closed terminal, cancelled CI job) cannot remove its containers; the
 * next lbuild that connects to the engine does, and only those: a live process's containers and
 * another machine's stay.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type Docker from 'dockerode';
import { connectEngine } from '../../../src/docker/engine.js';
import { lbuildLabels, ownerHostLabel, ownerPidLabel } from '../../../src/docker/labels.js';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { offlinePythonRun, pickImage } from '../../support/docker.js';

const gate = await dockerGate();

/** The pid of a process that has exited (and, right after, is not reused). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe.skipIf(gate.skipReason)('containers of killed lbuild processes', () => {
  let docker: Docker;
  const created: Docker.Container[] = [];
  const make = async (labels: Record<string, string>) => {
    const container = await docker.createContainer({
      Image: await pickImage(docker, offlinePythonRun),
      Cmd: ['true'],
      Labels: { ...lbuildLabels('build'), ...labels },
    });
    created.push(container);
    return container.id;
  };
  const exists = async (id: string) =>
    docker
      .getContainer(id)
      .inspect()
      .then(
        () => true,
        () => false,
      );

  beforeAll(async () => {
    docker = await requireDocker();
  });
  const images: string[] = [];
  afterAll(async () => {
    await Promise.all(created.map((c) => c.remove({ force: true }).catch(() => undefined)));
    await Promise.all(
      images.map((id) =>
        docker
          .getImage(id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
  });
  /** An image committed from a container with these labels (commit keeps them), as code images are made. */
  const image = async (labels: Record<string, string>) => {
    const source = await docker.createContainer({
      Image: await pickImage(docker, offlinePythonRun),
      Cmd: ['true'],
      Labels: { ...lbuildLabels('image'), ...labels },
    });
    created.push(source);
    const { Id } = (await source.commit({
      repo: 'lbuild/orphan-test',
      tag: `t${images.length}`,
    })) as { Id: string };
    images.push(Id);
    return Id;
  };
  const imageExists = async (id: string) =>
    docker
      .getImage(id)
      .inspect()
      .then(
        () => true,
        () => false,
      );

  test('are removed when lbuild next connects; live owners and other machines keep theirs', async () => {
    const orphan = await make({ [ownerPidLabel]: String(deadPid()) });
    const live = await make({});
    const elsewhere = await make({
      [ownerPidLabel]: String(deadPid()),
      [ownerHostLabel]: `not-${hostname()}`,
    });

    await connectEngine();
    // Gone, whoever removed it: any lbuild process connecting meanwhile (the e2e lane runs many)
    // removes orphans too, so this connection's own count may be 0.
    expect(await exists(orphan)).toBe(false);
    expect(await exists(live)).toBe(true);
    expect(await exists(elsewhere)).toBe(true);
  });

  test("a dead process's worker code images go too; build images and a live process's code images stay", async () => {
    const orphanCode = await image({
      'dev.lbuild.function': 'api',
      [ownerPidLabel]: String(deadPid()),
    });
    const liveCode = await image({ 'dev.lbuild.function': 'api' });
    // A build image records the pid that built it, which has long exited: it must survive.
    const buildImage = await image({
      'dev.lbuild.helper-sha256': 'x',
      [ownerPidLabel]: String(deadPid()),
    });

    await connectEngine();
    expect(await imageExists(orphanCode)).toBe(false);
    expect(await imageExists(liveCode)).toBe(true);
    expect(await imageExists(buildImage)).toBe(true);
  });
});
