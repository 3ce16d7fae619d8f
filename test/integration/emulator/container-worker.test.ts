/**
 * Container workers on a real engine, from the offline Debian stand-in run images: Lambda's
 * sandbox (read-only root, /tmp tmpfs, uid 993, memory limit with OOM), its environment, timeouts,
 * and that nothing (containers, code images) is left behind after close.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { managedLabel, ownerPidLabel, roleLabel } from '../../../src/docker/labels.js';
import {
  startEmulator,
  type Emulator,
  type InvocationOutcome,
} from '../../../src/emulator/index.js';
import { codeImageRepository } from '../../../src/emulator/workers/container/code-image.js';
import { fnDef, json, nodeFixtures, pythonFixtures, initMs } from '../../unit/emulator/helpers.js';
import { offlineNodeRun, offlinePythonRun, pickImage } from '../../support/docker.js';
import { dockerGate } from '../../support/gates.js';

const gate = await dockerGate();
const docker = gate.docker!;

const ourWorkers = async () =>
  docker.listContainers({
    all: true,
    filters: {
      label: [`${managedLabel}=true`, `${roleLabel}=worker`, `${ownerPidLabel}=${process.pid}`],
    },
  });

const bodyOf = (outcome: InvocationOutcome): any => {
  if (outcome.kind !== 'succeeded' && outcome.kind !== 'function-error')
    throw new Error(`unexpected ${outcome.kind}:\n${outcome.logs.join('\n')}`);
  return json(outcome.body);
};

describe.skipIf(gate.skipReason)('container workers (python stand-in)', () => {
  let emu: Emulator;
  const invoke = (functionName: string, payload: unknown = {}, handlerOverride?: string) =>
    emu.invoker.invoke({
      functionName,
      payload: Buffer.from(JSON.stringify(payload)),
      ...(handlerOverride ? { handlerOverride } : {}),
    });

  beforeAll(async () => {
    const runImage = await pickImage(docker, offlinePythonRun);
    emu = await startEmulator({
      workerKind: 'container',
      runImage,
      docker,
      codeDir: pythonFixtures,
      functions: [
        fnDef('facts', 'handlers.sandbox_facts', {
          memorySize: 256,
          ephemeralStorage: 600,
          environment: { GREETING: 'hi' },
        }),
        fnDef('hog', 'handlers.hog', { memorySize: 128 }),
        fnDef('spin', 'handlers.spin', { timeout: 1 }),
        fnDef('badImport', 'bad_import.handler'),
      ],
    });
  });
  afterAll(async () => emu?.close());

  test('runs as uid 993 on a read-only root with a writable, sized /tmp and Lambda env vars', async () => {
    const outcome = await invoke('facts');
    const facts = bodyOf(outcome);
    expect(facts.uid).toBe(993);
    expect(facts.gid).toBe(993);
    expect(facts.task_write).toBe('OSError: Read-only file system');
    expect(facts.tmp_roundtrip).toBe('fine');
    expect(facts.tmp_size_mb).toBe(600);
    expect(facts.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'facts',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      LAMBDA_TASK_ROOT: '/var/task',
      _HANDLER: 'handlers.sandbox_facts',
      TZ: ':UTC',
    });
    expect(facts.env.AWS_LAMBDA_RUNTIME_API).toMatch(/^[\d.]+:\d+$/);
    expect(initMs(outcome)).toBeGreaterThan(0);
    expect(outcome.logs.at(-1)).toMatch(
      /Memory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms$/,
    );
    const [container] = await ourWorkers();
    expect(container?.Labels['dev.lbuild.function']).toBe('facts');
    // The one host path in the sandbox is the worker's own Runtime API socket; its hint is not in the env.
    const mounts = (await docker.getContainer(container!.Id).inspect()).Mounts.filter(
      (m) => m.Type === 'bind',
    );
    expect(mounts.map((m) => m.Destination)).toEqual(['/var/lbuild/runtime-api.sock']);
    expect(facts.lbuild_vars).toEqual([]);
    // ...and uid 993 could connect to it (the bootstrap says so when it falls back to TCP).
    expect(outcome.logs.filter((line) => line.includes('Runtime API socket'))).toEqual([]);
  });

  test('the warm container is reused', async () => {
    const outcome = await invoke('facts');
    expect(outcome.kind).toBe('succeeded');
    expect(initMs(outcome)).toBeUndefined();
  });

  test('worker containers are named lbuild-<project>-<function>-<n>-<run> in docker ps', async () => {
    // The project defaults to the code folder's name (fixtures/python).
    const names = (await ourWorkers())
      .filter((container) => container.Labels['dev.lbuild.function'] === 'facts')
      .map((container) => container.Names[0]);
    expect(names).toEqual([expect.stringMatching(/^\/lbuild-python-facts-1-[0-9a-f]{6}$/)]);
  });

  test("function output reaches the invocation's own log (Tail) before END, every time", async () => {
    for (let i = 0; i < 20; i++) {
      const outcome = await invoke('facts', { i }, 'handlers.echo');
      expect(outcome.kind).toBe('succeeded');
      const hello = outcome.logs.indexOf('hello from python');
      expect(hello).toBeGreaterThan(0);
      expect(hello).toBeLessThan(outcome.logs.indexOf(`END RequestId: ${outcome.requestId}`));
    }
  });

  test('exceeding memorySize 128 → Runtime.OutOfMemory; the next invocation gets a new worker', async () => {
    const outcome = await invoke('hog');
    expect(outcome.kind).toBe('out-of-memory');
    expect(outcome.logs).toContain('Runtime.OutOfMemory');
    expect(outcome.logs.at(-1)).toMatch(
      /Max Memory Used: 128 MB.*Status: error\tError Type: Runtime\.OutOfMemory$/,
    );
    const next = await invoke('hog', { after: 'oom' }, 'handlers.sandbox_facts');
    expect(next.kind).toBe('succeeded');
    expect(initMs(next)).toBeDefined();
  });

  test('timeout → Sandbox.Timedout; the container is replaced', async () => {
    const outcome = await invoke('spin');
    expect(outcome.kind).toBe('timed-out');
    expect(outcome.logs.some((line) => line.endsWith('Task timed out after 1.00 seconds'))).toBe(
      true,
    );
    const next = await invoke('spin', {}, 'handlers.sleepy');
    expect(bodyOf(next)).toBe('slept');
  });

  test('import error inside the container → Runtime.ImportModuleError', async () => {
    const outcome = await invoke('badImport');
    expect(outcome.kind === 'function-error' && outcome.errorType).toBe(
      'Runtime.ImportModuleError',
    );
  });

  test('close removes every worker container and code image', async () => {
    expect((await ourWorkers()).length).toBeGreaterThan(0);
    await emu.close();
    expect(await ourWorkers()).toEqual([]);
    const images = await docker.listImages({
      filters: { reference: [codeImageRepository], label: [`${ownerPidLabel}=${process.pid}`] },
    });
    expect(images).toEqual([]);
  });
});

describe.skipIf(gate.skipReason)('container workers (node stand-in)', () => {
  test("an ESM handler runs under the stand-in Node with lbuild's bootstrap", async () => {
    const runImage = await pickImage(docker, offlineNodeRun);
    const emu = await startEmulator({
      workerKind: 'container',
      runImage,
      docker,
      codeDir: nodeFixtures,
      functions: [fnDef('esm', 'esm-pkg/app.handler', { runtimeName: 'nodejs18.x' })],
    });
    try {
      const outcome = await emu.invoker.invoke({
        functionName: 'esm',
        payload: Buffer.from('{"n":1}'),
      });
      expect(bodyOf(outcome)).toMatchObject({ kind: 'esm', event: { n: 1 }, functionName: 'esm' });
    } finally {
      await emu.close();
    }
    expect(await ourWorkers()).toEqual([]);
  });
});
