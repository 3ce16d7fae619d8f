/**
 * `lbuild serve --debug` with a Python function in its container worker (offline python3.11
 * stand-in, Debian bookworm's debugpy from the debug layer): a real DAP client attaches to
 * debugpy, sets a breakpoint by the handler's local path, and a request through the API gateway
 * stops there. The pause outlasts the function's 1 s timeout, and the response still arrives.
 */
import type Docker from 'dockerode';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { startStack, type RunningStack } from '../../../src/serve/stack.js';
import { DapClient } from '../../support/dap-client.js';
import { lbuildContainers } from '../../support/docker.js';
import { dockerGate, requireDocker } from '../../support/gates.js';

const gate = await dockerGate();
const apiPort = 4720;
const debugPort = 9230;
const breakpointLine = 6;

const handler = `import json


def handler(event, context):
    greeting = "hello " + event["rawPath"]
    size = len(greeting)
    return {"statusCode": 200, "body": json.dumps({"greeting": greeting, "size": size})}
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-debug-py-'));
  writeFileSync(join(dir, 'app.py'), handler);
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      name: 'debugpy',
      runtime: 'python3.11',
      functions: { api: { handler: 'app.handler', timeout: 1, routes: ['$default'] } },
    }),
  );
  return dir;
}

describe.skipIf(gate.skipReason)(
  'lbuild serve --debug: debugpy in a Python container worker',
  () => {
    let docker: Docker;
    let dir: string;
    let stack: RunningStack;

    beforeAll(async () => {
      docker = await requireDocker();
      dir = project();
      stack = await startStack(loadProject(dir), {
        imageSource: 'offline',
        apiPort,
        invokePort: apiPort + 1,
        watch: false,
        docker,
        debug: { functions: true, port: debugPort },
      });
    }, 600_000);

    afterAll(async () => {
      await stack?.stop();
      if (docker) expect(await lbuildContainers(docker)).toEqual([]);
    }, 60_000);

    it('reports the debugger and a VS Code configuration that maps the source folder to /var/task', () => {
      expect(stack.debug?.targets).toEqual([
        expect.objectContaining({ functionName: 'api', protocol: 'debugpy', port: debugPort }),
      ]);
      const [config] = stack.debug!.configurations;
      expect(config).toMatchObject({
        type: 'debugpy',
        request: 'attach',
        connect: { host: '127.0.0.1', port: debugPort },
        pathMappings: [{ localRoot: dir, remoteRoot: '/var/task' }],
      });
      expect(stack.debug!.notes[0]).toMatch(
        /1 s timeout and the gateway's 30 s integration timeout are suspended/,
      );
    });

    it('stops at a breakpoint set by local path on a request through the gateway, past the timeout', async () => {
      const dap = await DapClient.initialize(debugPort, {
        clientID: 'lbuild-test',
        adapterID: 'debugpy',
        linesStartAt1: true,
        columnsStartAt1: true,
        pathFormat: 'path',
      });
      try {
        // debugpy answers attach only after configurationDone; it says "initialized" first.
        const attached = dap.send('attach', {
          justMyCode: true,
          pathMappings: [{ localRoot: dir, remoteRoot: '/var/task' }],
        });
        await dap.event('initialized');
        const set = await dap.send('setBreakpoints', {
          source: { path: join(dir, 'app.py') },
          breakpoints: [{ line: breakpointLine }],
        });
        expect((set.body!.breakpoints as Array<{ verified: boolean }>)[0]!.verified).toBe(true);
        await dap.send('configurationDone');
        await attached;

        const sent = performance.now();
        const response = request(`http://127.0.0.1:${apiPort}/through-the-gateway`);
        const stopped = await dap.event('stopped');
        expect(stopped.body).toMatchObject({ reason: 'breakpoint' });
        const threadId = stopped.body!.threadId as number;

        const trace = await dap.send('stackTrace', { threadId, levels: 1 });
        const [frame] = trace.body!.stackFrames as Array<{
          id: number;
          line: number;
          name: string;
          source: { path: string };
        }>;
        expect(frame).toMatchObject({ line: breakpointLine, name: 'handler' });
        expect(frame!.source.path).toBe(join(dir, 'app.py'));
        const scopes = await dap.send('scopes', { frameId: frame!.id });
        const locals = (
          scopes.body!.scopes as Array<{ name: string; variablesReference: number }>
        ).find((scope) => scope.name === 'Locals')!;
        const variables = await dap.send('variables', {
          variablesReference: locals.variablesReference,
        });
        const greeting = (variables.body!.variables as Array<{ name: string; value: string }>).find(
          (v) => v.name === 'greeting',
        );
        expect(greeting?.value).toBe("'hello /through-the-gateway'");

        // Held at the breakpoint for longer than the function's 1 s timeout.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        await dap.send('continue', { threadId });
        const reply = await response;
        const pausedMs = performance.now() - sent;
        expect(reply.statusCode).toBe(200);
        expect(await reply.body.json()).toEqual({
          greeting: 'hello /through-the-gateway',
          size: 26,
        });
        expect(pausedMs).toBeGreaterThan(1_500);
        console.log(`request held at the breakpoint: ${Math.round(pausedMs)} ms (timeout 1000 ms)`);
      } finally {
        await dap.send('disconnect', { terminateDebuggee: false }).catch(() => undefined);
        dap.close();
      }
    }, 180_000);

    it('keeps serving after the debugger left', async () => {
      const reply = await request(`http://127.0.0.1:${apiPort}/again`);
      expect(reply.statusCode).toBe(200);
      expect(await reply.body.json()).toMatchObject({ greeting: 'hello /again' });
    }, 60_000);
  },
);
