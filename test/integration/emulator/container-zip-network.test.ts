/**
 * What `lbuild serve` does with container workers: run the built zip (not the folder), join the
 * compose network (to reach the database by name) and swap code on reload without a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lbuildLabels } from '../../../src/docker/labels.js';
import {
  startEmulator,
  type Emulator,
  type InvocationOutcome,
} from '../../../src/emulator/index.js';
import { bridgeGateway } from '../../../src/emulator/workers/container/bridge-address.js';
import { fnDef, json, writeZip, initMs } from '../../unit/emulator/helpers.js';
import { offlinePythonRun, pickImage } from '../../support/docker.js';
import { dockerGate } from '../../support/gates.js';

const gate = await dockerGate();
const docker = gate.docker!;
const networkName = `lbuild-emulator-test-${process.pid}`;

const app = (version: string) => [
  {
    name: 'app.py',
    text: `import os\n\ndef handler(event, context):\n    return {"version": "${version}", "api": os.environ["AWS_LAMBDA_RUNTIME_API"]}\n`,
  },
];
const bodyOf = (outcome: InvocationOutcome): any => {
  if (outcome.kind !== 'succeeded')
    throw new Error(`unexpected ${outcome.kind}:\n${outcome.logs.join('\n')}`);
  return json(outcome.body);
};

describe.skipIf(gate.skipReason)('container workers from a zip on a user network', () => {
  let emu: Emulator;
  let dir: string;
  let zip: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lbuild-emu-zip-'));
    zip = join(dir, 'code.zip');
    writeZip(zip, app('v1'));
    await docker.createNetwork({ Name: networkName, Labels: lbuildLabels('probe') });
    emu = await startEmulator({
      workerKind: 'container',
      runImage: await pickImage(docker, offlinePythonRun),
      docker,
      codeDir: dir,
      codeZip: zip,
      network: networkName,
      functions: [fnDef('app', 'app.handler')],
    });
  });
  afterAll(async () => {
    await emu?.close();
    await docker
      .getNetwork(networkName)
      .remove()
      .catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  test("runs the zip's code, reaching the Runtime API at the network's gateway", async () => {
    const body = bodyOf(
      await emu.invoker.invoke({ functionName: 'app', payload: Buffer.from('{}') }),
    );
    expect(body.version).toBe('v1');
    const gateway = await bridgeGateway(docker, networkName);
    expect(body.api.startsWith(`${gateway}:`)).toBe(true);
  });

  test('reloadCode: new zip contents on the next invocation, in a new worker', async () => {
    writeZip(zip, app('v2'));
    await emu.reloadCode();
    const outcome = await emu.invoker.invoke({ functionName: 'app', payload: Buffer.from('{}') });
    expect(bodyOf(outcome).version).toBe('v2');
    expect(initMs(outcome)).toBeDefined();
  });
});
