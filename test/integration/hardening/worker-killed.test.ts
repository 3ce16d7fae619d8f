/**
 * A worker container killed from outside (`docker kill`, the OOM killer of another cgroup, a
 * cleanup script) in the middle of an invocation: the invocation ends at once with Lambda's
 * Runtime.ExitError (not a hang until the timeout), the dead container is gone, and the next
 * invocation runs on a fresh worker.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { managedLabel, ownerPidLabel, roleLabel } from '../../../src/docker/labels.js';
import { outcomeErrorType, startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { fnDef, pythonFixtures } from '../../unit/emulator/helpers.js';
import { offlinePythonRun, pickImage } from '../../support/docker.js';
import { dockerGate } from '../../support/gates.js';

const gate = await dockerGate();
const docker = gate.docker!;

const ourWorkers = () =>
  docker.listContainers({
    all: true,
    filters: {
      label: [`${managedLabel}=true`, `${roleLabel}=worker`, `${ownerPidLabel}=${process.pid}`],
    },
  });

describe.skipIf(gate.skipReason)('a worker container killed mid-invocation', () => {
  let emu: Emulator;

  beforeAll(async () => {
    emu = await startEmulator({
      workerKind: 'container',
      runImage: await pickImage(docker, offlinePythonRun),
      docker,
      codeDir: pythonFixtures,
      functions: [fnDef('sleepy', 'handlers.sleepy', { timeout: 30, concurrency: 1 })],
    });
  });
  afterAll(async () => emu?.close());

  const invoke = (seconds: number) =>
    emu.invoker.invoke({
      functionName: 'sleepy',
      payload: Buffer.from(JSON.stringify({ seconds })),
    });

  test('ends with Runtime.ExitError at once, and the next invocation runs on a fresh worker', async () => {
    expect((await invoke(0)).kind).toBe('succeeded');
    const [first] = await ourWorkers();
    expect(first).toBeDefined();

    const started = performance.now();
    const running = invoke(20);
    // Kill it once the invocation is surely in the handler.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await docker.getContainer(first!.Id).kill();
    const outcome = await running;
    const tookMs = performance.now() - started;

    expect(outcome.kind).toBe('worker-exited');
    expect(outcomeErrorType(outcome)).toBe('Runtime.ExitError');
    expect(outcome.logs.join('\n')).toMatch(/Runtime exited.*signal: killed|exit status 137/);
    // Far from the 20 s sleep and the 30 s timeout: the exit was noticed, not waited out.
    expect(tookMs).toBeLessThan(5000);

    const next = await invoke(0);
    expect(next.kind).toBe('succeeded');
    const workers = await ourWorkers();
    expect(workers.map((w) => w.Id)).not.toContain(first!.Id);
    expect(workers).toHaveLength(1);
  });
});
