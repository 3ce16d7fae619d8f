/**
 * Lambda Web Functions in `lbuild serve`, with a real Express app from the npm registry and a
 * native dependency (bcrypt, its install script allowed through package.json allowScripts), built
 * by `lbuild package` in the nodejs24.x build container for x86_64 (arm64 runs only under QEMU
 * here: too slow; lbuild warns that Lambda runs web functions on arm64). What a user would check:
 * several requests in flight in one container, a second environment past the limit, throttling,
 * the headers the app sees, the timeout answer, SSE delivered as written, a client disconnect
 * reaching the app, a crash answered 502 and a fresh environment after it, a server that never
 * listens failing init after 10 s, hot reload without a dropped request, and nothing left behind.
 */
import type Docker from 'dockerode';
import { writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type ResolvedProject } from '../../../src/config/load.js';
import type { LogEvent } from '../../../src/emulator/logs/sink.js';
import { startStack, type RunningStack } from '../../../src/serve/stack.js';
import { copyFixture } from '../../support/fixtures.js';
import { dockerGate, requireDocker } from '../../support/gates.js';

const gate = await dockerGate();

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** node:http rather than fetch: fetch refuses to send Connection, Keep-Alive and the like. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            ms: Date.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const json = <T>(reply: Reply): T => JSON.parse(reply.body) as T;

interface Me {
  host: string;
  pid: number;
  version: number;
  maxInFlight?: number;
}

async function webContainers(docker: Docker, project: string): Promise<string[]> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: ['dev.lbuild.role=worker', `dev.lbuild.pid=${process.pid}`] },
  });
  return list.flatMap((c) => c.Names).filter((name) => name.includes(project));
}

describe.skipIf(gate.skipReason)('lbuild serve: Lambda Web Functions (Express + bcrypt)', () => {
  let docker: Docker;
  let dir: string;
  let project: ResolvedProject;
  let stack: RunningStack;
  let web: string;
  const logs: LogEvent[] = [];

  beforeAll(async () => {
    docker = await requireDocker();
    dir = copyFixture('web-express');
    project = loadProject(dir);
    stack = await startStack(project, {
      imageSource: 'offline',
      apiPort: 4440,
      invokePort: 4441,
      docker,
    });
    stack.emulator.logs.subscribe((event) => logs.push(event));
    web = stack.webUrls.web!;
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('resolves type "web" with Lambda defaults, and warns that x86_64 is for local use only', () => {
    const fn = project.functions.find((f) => f.name === 'web')!;
    expect(fn.kind).toBe('web');
    expect(fn.runtime.name).toBe('nodejs24.x');
    expect(fn.web).toMatchObject({ entryPoint: 'index.js', maxConcurrencyPerEnvironment: 4 });
    expect(
      project.functions.find((f) => f.name === 'broken')!.web!.maxConcurrencyPerEnvironment,
    ).toBe(64);
    expect(project.warnings.join('\n')).toMatch(
      /web function built for x86_64: Lambda runs web functions on arm64 only/,
    );
    expect(stack.webUrls).toEqual({
      web: 'http://127.0.0.1:4450',
      broken: 'http://127.0.0.1:4451',
    });
  });

  it('starts the app as Lambda does: node index.js in read-only /var/task as a non-root user, AWS_LAMBDA_HTTP_ENDPOINT set, PORT not', async () => {
    const reply = await send(`${web}/env`);
    expect(reply.status).toBe(200);
    const seen = json<{
      cwd: string;
      uid: number;
      codeWritable: boolean;
      hash: boolean;
      env: Record<string, string>;
    }>(reply);
    expect(seen).toMatchObject({ cwd: '/var/task', uid: 993, codeWritable: false, hash: true });
    expect(seen.env).toMatchObject({
      AWS_LAMBDA_HTTP_ENDPOINT: '0.0.0.0:3000',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'native-http',
      GREETING: 'hello',
    });
    expect(seen.env.AWS_REGION).toBeTruthy();
    expect(seen.env.PORT).toBeUndefined();
    expect(seen.env.AWS_LAMBDA_FUNCTION_NAME).toBeUndefined();
  }, 60_000);

  it('serves several requests at once in one environment, opens a second past the limit, then throttles', async () => {
    const four = await Promise.all([1, 2, 3, 4].map(() => send(`${web}/slow?ms=1500`)));
    const mine = four.map((r) => json<Me>(r));
    expect(four.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    // One container (hostname) and one process answered all four, with all four in flight together.
    expect(new Set(mine.map((m) => m.host)).size).toBe(1);
    expect(new Set(mine.map((m) => m.pid)).size).toBe(1);
    expect(Math.max(...mine.map((m) => m.maxInFlight!))).toBe(4);

    const six = await Promise.all([1, 2, 3, 4, 5, 6].map(() => send(`${web}/slow?ms=1500`)));
    expect(six.every((r) => r.status === 200)).toBe(true);
    expect(new Set(six.map((r) => json<Me>(r).host)).size).toBe(2);

    // 2 environments x 4 = 8 in flight; the ninth is throttled.
    const nine = await Promise.all([...Array(9).keys()].map(() => send(`${web}/slow?ms=1500`)));
    const statuses = nine.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    const throttled = nine.find((r) => r.status === 429)!;
    expect(throttled.headers['lambda-web-error-type']).toBe('Function.Throttled');
  }, 120_000);

  it('forwards the request with hop-by-hop and lambda-web-* headers removed, its own request id and endpoint name added, and the client IP last in X-Forwarded-For', async () => {
    const reply = await send(`${web}/headers`, {
      headers: {
        Connection: 'keep-alive, X-Drop-Me',
        'X-Drop-Me': 'gone',
        'Keep-Alive': 'timeout=5',
        'X-Real-IP': '198.51.100.7',
        'Proxy-Authorization': 'Basic Zm9v',
        'X-HTTP-Method-Override': 'DELETE',
        'lambda-web-request-id': 'forged',
        'lambda-web-custom': 'forged',
        'X-Forwarded-For': '203.0.113.9',
        'X-Custom': 'kept',
      },
    });
    expect(reply.status).toBe(200);
    const { headers } = json<{ headers: Record<string, string> }>(reply);
    for (const gone of [
      'x-drop-me',
      'keep-alive',
      'x-real-ip',
      'proxy-authorization',
      'x-http-method-override',
      'lambda-web-custom',
    ])
      expect(headers[gone], gone).toBeUndefined();
    expect(headers['x-custom']).toBe('kept');
    expect(headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(headers['lambda-web-endpoint-name']).toBe('web');
    expect(headers['lambda-web-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.headers['lambda-web-request-id']).toBe(headers['lambda-web-request-id']);
  }, 30_000);

  it('refuses HTTP/1.0 (505), unsupported methods (400) and upgrades before the app sees them', async () => {
    expect((await send(`${web}/headers`, { method: 'PROPFIND' })).status).toBe(400);
    const expectContinue = await send(`${web}/headers`, {
      method: 'POST',
      headers: { Expect: '100-continue', 'Content-Length': '0' },
    });
    expect(expectContinue.status).toBe(417);
    const upgrade = await send(`${web}/headers`, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    expect(upgrade.status).not.toBe(101);
    const statusLine = await new Promise<string>((resolve, reject) => {
      const socket = connect(4450, '127.0.0.1', () => socket.write('GET /whoami HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text.split('\r\n')[0]!));
      socket.on('error', reject);
    });
    expect(statusLine).toMatch(/^HTTP\/1\.1 505 /);
  }, 30_000);

  it('answers a request that outlives the timeout with 504 and lambda-web-error-type: Runtime.RequestTimeout', async () => {
    const reply = await send(`${web}/hang`);
    expect(reply.status).toBe(504);
    expect(reply.headers['lambda-web-error-type']).toBe('Runtime.RequestTimeout');
    expect(reply.ms).toBeGreaterThanOrEqual(2900);
    expect(reply.ms).toBeLessThan(6000);
  }, 30_000);

  it('streams SSE as written: the first event reaches the client before the handler finishes', async () => {
    const arrivals: Array<{ at: number; text: string }> = [];
    const ended = await new Promise<number>((resolve, reject) => {
      httpRequest(`${web}/sse`, { agent: false }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        res.on('data', (chunk: Buffer) =>
          arrivals.push({ at: Date.now(), text: chunk.toString() }),
        );
        res.on('end', () => resolve(Date.now()));
      })
        .on('error', reject)
        .end();
    });
    const events =
      arrivals
        .map((a) => a.text)
        .join('')
        .match(/^data: /gm) ?? [];
    expect(events).toHaveLength(3);
    // The handler sleeps 600 ms between events: the first arrived more than 1 s before the end.
    expect(ended - arrivals[0]!.at).toBeGreaterThan(1000);
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
  }, 30_000);

  it('tells the app when the client goes away mid-stream', async () => {
    const before = json<{ disconnects: number }>(await send(`${web}/disconnects`)).disconnects;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${web}/forever`, { agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.on('timeout', reject);
      req.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = json<{ disconnects: number }>(await send(`${web}/disconnects`)).disconnects;
    expect(after).toBe(before + 1);
  }, 30_000);

  it('answers a crash mid-request with 502 and serves the next request from a fresh environment', async () => {
    const crashed = json<Me>(await send(`${web}/whoami`)).host;
    const reply = await send(`${web}/crash`);
    expect(reply.status).toBe(502);
    expect(reply.headers['lambda-web-error-type']).toBe('Runtime.ExitError');
    const next = await send(`${web}/whoami`);
    expect(next.status).toBe(200);
    expect(json<Me>(next).host).not.toBe(crashed);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await webContainers(docker, crashed)).length).toBe(0);
    // Output is JSON in the Web Functions format, and a line written during a request carries its
    // id while it is alone in flight. (Whether init output carries none is not asserted: the
    // app's "listening" line can reach lbuild after the readiness probe, when a request that
    // waited for the environment is already in flight; see web-logs.ts.)
    const line = logs.find((e) => e.message.includes('crashing mid-request'))!;
    expect(JSON.parse(line.message)).toMatchObject({
      level: 'INFO',
      message: 'crashing mid-request',
      endpointName: 'web',
      requestId: reply.headers['lambda-web-request-id'],
    });
  }, 60_000);

  it('fails the init of a server that never listens after about 10 s, with 502 and a platform.initReport failure', async () => {
    const reply = await send(`${stack.webUrls.broken!}/`);
    expect(reply.status).toBe(502);
    expect(reply.headers['lambda-web-error-type']).toBe('Application.InitTimeout');
    expect(reply.ms).toBeGreaterThanOrEqual(9500);
    expect(reply.ms).toBeLessThan(16_000);
    const report = logs
      .filter((e) => e.functionName === 'broken' && e.kind === 'platform')
      .map((e) => JSON.parse(e.message) as { type: string; record: Record<string, unknown> })
      .find((e) => e.type === 'platform.initReport');
    expect(report?.record).toMatchObject({
      status: 'failure',
      errorType: 'Application.InitTimeout',
    });
  }, 60_000);

  it('refuses to run a web function through the Invoke API', async () => {
    const response = await fetch(`${stack.invokeUrl}/2015-03-31/functions/web/invocations`, {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(((await response.json()) as { message: string }).message).toContain(
      'http://127.0.0.1:4450',
    );
  });

  it('hot reload drains the old environments: no request is dropped, and new ones see the new code', async () => {
    const reloaded = new Promise<void>((resolve) => stack.onReload(() => resolve()));
    const long = send(`${web}/slow?ms=2500`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(join(dir, 'version.js'), 'module.exports = 2;\n');
    const replies: Reply[] = [];
    let sawNew = false;
    const deadline = Date.now() + 90_000;
    const loop = async () => {
      while (!sawNew && Date.now() < deadline) {
        const reply = await send(`${web}/slow?ms=100`);
        replies.push(reply);
        if (reply.status === 200 && json<Me>(reply).version === 2) sawNew = true;
      }
    };
    await Promise.all([loop(), loop(), loop()]);
    await reloaded;
    const old = await long;
    expect(old.status).toBe(200);
    expect(json<Me>(old).version).toBe(1);
    expect(replies.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(sawNew).toBe(true);
  }, 120_000);

  it('stops every environment with SIGTERM and removes its container', async () => {
    await stack.stop();
    expect(await webContainers(docker, 'i12web')).toEqual([]);
    expect(logs.some((e) => e.message.includes('SIGTERM received'))).toBe(true);
    expect(logs.some((e) => e.message.includes('platform.spinDownReport'))).toBe(true);
  }, 60_000);
});
