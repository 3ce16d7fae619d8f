/**
 * Container workers on an image shaped like AWS's (an ENTRYPOINT /lambda-entrypoint.sh that starts
 * the image's own runtime client). No registry is reachable here, so the image is a stand-in built
 * from the offline Python image; it checks the plumbing: the image's entrypoint is used with the
 * handler as argument, and wsgi:/asgi: handlers run on lbuild's bootstrap from /var/lbuild-runtime.
 */
import type { Readable } from 'node:stream';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lbuildLabels } from '../../../src/docker/labels.js';
import { followProgress } from '../../../src/docker/stream.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { runtimeSupportDir } from '../../../src/paths.js';
import { fnDef, json, pythonFixtures } from '../../unit/emulator/helpers.js';
import { offlinePythonRun, pickImage } from '../../support/docker.js';
import { dockerGate } from '../../support/gates.js';

const gate = await dockerGate();
const docker = gate.docker!;
const fakeAwsImage = `lbuild-test/fake-aws-python:${process.pid}`;

const entrypoint = `#!/bin/sh
# Like AWS's lambda-entrypoint.sh: with AWS_LAMBDA_RUNTIME_API set, exec the runtime's own client.
[ -n "$AWS_LAMBDA_RUNTIME_API" ] || { echo "this stand-in has no RIE" >&2; exit 1; }
echo "fake-aws-entrypoint $1" >&2
exec python3 /var/runtime/bootstrap.py "$@"
`;

async function buildFakeAwsImage(base: string): Promise<void> {
  const context = pack();
  context.entry(
    { name: 'Dockerfile' },
    `FROM ${base}\nCOPY runtime/ /var/runtime/\nCOPY lambda-entrypoint.sh /lambda-entrypoint.sh\nENTRYPOINT ["/lambda-entrypoint.sh"]\n`,
  );
  context.entry({ name: 'lambda-entrypoint.sh', mode: 0o755 }, entrypoint);
  const python = join(runtimeSupportDir, 'python');
  for (const name of readdirSync(python).filter((n) => n.endsWith('.py')))
    context.entry({ name: `runtime/${name}` }, readFileSync(join(python, name)));
  context.finalize();
  const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, {
    t: fakeAwsImage,
    labels: lbuildLabels('image'),
  });
  await followProgress(stream as unknown as Readable);
}

describe.skipIf(gate.skipReason)('container workers on an AWS-style image', () => {
  let emu: Emulator;
  const lines: string[] = [];

  beforeAll(async () => {
    await buildFakeAwsImage(await pickImage(docker, offlinePythonRun));
    emu = await startEmulator({
      workerKind: 'container',
      runImage: fakeAwsImage,
      docker,
      codeDir: pythonFixtures,
      functions: [fnDef('plain', 'handlers.echo'), fnDef('web', 'wsgi:web_app.app')],
    });
    emu.logs.subscribe((event) => lines.push(`${event.functionName}: ${event.message}`));
  });
  afterAll(async () => {
    await emu?.close();
    await docker
      .getImage(fakeAwsImage)
      .remove({ force: true })
      .catch(() => undefined);
  });

  test("the image's own entrypoint starts the runtime, with the handler as its argument", async () => {
    const outcome = await emu.invoker.invoke({
      functionName: 'plain',
      payload: Buffer.from('{"x":1}'),
    });
    expect(outcome.kind).toBe('succeeded');
    expect(lines).toContain('plain: fake-aws-entrypoint handlers.echo');
  });

  test("wsgi: handlers bypass the image's client and run on lbuild's bootstrap", async () => {
    const event = {
      version: '2.0',
      rawPath: '/x',
      rawQueryString: '',
      headers: {},
      requestContext: { http: { method: 'GET', path: '/x' }, stage: '$default' },
    };
    const outcome = await emu.invoker.invoke({
      functionName: 'web',
      payload: Buffer.from(JSON.stringify(event)),
    });
    expect(outcome.kind === 'succeeded' && json(outcome.body)).toMatchObject({
      statusCode: 200,
      body: 'wsgi GET /x',
    });
    expect(lines.some((line) => line.startsWith('web: fake-aws-entrypoint'))).toBe(false);
  });
});
