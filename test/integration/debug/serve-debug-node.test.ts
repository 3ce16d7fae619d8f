/**
 * `lbuild serve --debug` with a Node function in its container worker (offline nodejs22.x
 * stand-in): a Chrome DevTools Protocol client (undici's WebSocket) attaches to Node's inspector,
 * sets a breakpoint by URL, gets Debugger.paused at the handler's line on a request through the
 * gateway, resumes after the 1 s timeout has passed, and the response arrives.
 */
import type Docker from 'dockerode';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { startStack, type RunningStack } from '../../../src/serve/stack.js';
import { CdpClient } from '../../support/cdp-client.js';
import { lbuildContainers } from '../../support/docker.js';
import { dockerGate, requireDocker } from '../../support/gates.js';

const gate = await dockerGate();
const apiPort = 4722;
const debugPort = 9231;
/** 0-based, as CDP counts lines: the `const size` line. */
const breakpointLine = 2;

const handler = `export const handler = async (event) => {
  const greeting = 'hello ' + event.rawPath;
  const size = greeting.length;
  return { statusCode: 200, body: JSON.stringify({ greeting, size }) };
};
`;

describe.skipIf(gate.skipReason)(
  "lbuild serve --debug: Node's inspector in a container worker",
  () => {
    let docker: Docker;
    let stack: RunningStack;

    beforeAll(async () => {
      docker = await requireDocker();
      const dir = mkdtempSync(join(tmpdir(), 'lbuild-debug-node-'));
      writeFileSync(join(dir, 'index.mjs'), handler);
      writeFileSync(
        join(dir, 'lbuild.json'),
        JSON.stringify({
          name: 'inspector',
          runtime: 'nodejs22.x',
          functions: { api: { handler: 'index.handler', timeout: 1, routes: ['$default'] } },
        }),
      );
      stack = await startStack(loadProject(dir), {
        imageSource: 'offline',
        apiPort,
        invokePort: apiPort + 1,
        watch: false,
        docker,
        debug: { functions: ['api'], port: debugPort },
      });
    }, 600_000);

    afterAll(async () => {
      await stack?.stop();
      if (docker) expect(await lbuildContainers(docker)).toEqual([]);
    }, 60_000);

    it('pauses at a breakpoint set by URL on a gateway request, resumes, and the response arrives', async () => {
      expect(stack.debug!.configurations[0]).toMatchObject({
        type: 'node',
        request: 'attach',
        port: debugPort,
        remoteRoot: '/var/task',
      });
      const cdp = await CdpClient.connect(debugPort);
      try {
        await cdp.send('Debugger.enable');
        const set = await cdp.send('Debugger.setBreakpointByUrl', {
          url: 'file:///var/task/index.mjs',
          lineNumber: breakpointLine,
        });
        expect(set.breakpointId).toBeTruthy();
        await cdp.send('Runtime.runIfWaitingForDebugger');

        const sent = performance.now();
        const response = request(`http://127.0.0.1:${apiPort}/inspected`);
        const paused = await cdp.event('Debugger.paused');
        const [frame] = paused.params.callFrames as Array<{
          functionName: string;
          location: { scriptId: string; lineNumber: number };
        }>;
        expect(frame!.location.lineNumber).toBe(breakpointLine);
        const script = cdp
          .received('Debugger.scriptParsed')
          .find((e) => e.params.scriptId === frame!.location.scriptId);
        expect(script?.params.url).toBe('file:///var/task/index.mjs');
        expect(paused.params.hitBreakpoints).toEqual([set.breakpointId]);

        await new Promise((resolve) => setTimeout(resolve, 1_500));
        await cdp.send('Debugger.resume');
        const reply = await response;
        const pausedMs = performance.now() - sent;
        expect(reply.statusCode).toBe(200);
        expect(await reply.body.json()).toEqual({ greeting: 'hello /inspected', size: 16 });
        expect(pausedMs).toBeGreaterThan(1_500);
        console.log(`request held at the breakpoint: ${Math.round(pausedMs)} ms (timeout 1000 ms)`);
      } finally {
        cdp.close();
      }
    }, 180_000);
  },
);
