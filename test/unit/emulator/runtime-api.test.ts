/** The Runtime API server over real HTTP: every endpoint, header and error, with no runtime attached. */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { maxResponseBytes } from '../../../src/emulator/runtime-api/protocol.js';
import { RuntimeApiServer, type AttachedWorker } from '../../../src/emulator/runtime-api/server.js';
import { endpointInvocation } from './helpers.js';

let server: RuntimeApiServer;
let worker: AttachedWorker;
const base = () => `http://${worker.runtimeApi}/2018-06-01`;
const invocation = endpointInvocation;

let call: (url: string, init?: RequestInit) => Promise<Response>;

// Every endpoint test runs on both transports: node:http on the TCP port (AWS's clients) and
// lbuild's own HTTP/1.1 connection on the Unix socket (lbuild's bootstraps).
describe.each([{ transport: 'tcp' as const }, { transport: 'unix' as const }])(
  'over $transport',
  ({ transport }) => {
    let dispatcher: Agent | undefined;
    beforeEach(async () => {
      server = new RuntimeApiServer();
      worker = await server.attach('w1', transport === 'unix' ? { localSocket: 'owner' } : {});
      dispatcher =
        transport === 'unix'
          ? new Agent({ connect: { socketPath: worker.socketPath! } })
          : undefined;
      call = (url, init = {}) =>
        undiciFetch(url, {
          ...init,
          ...(dispatcher ? { dispatcher } : {}),
        } as never) as unknown as Promise<Response>;
    });
    afterEach(async () => {
      await server.close();
      await dispatcher?.close();
    });

    describe('GET /runtime/invocation/next', () => {
      test('long-polls until an event is delivered, with all Lambda headers and Content-Type JSON', async () => {
        let answered = false;
        const next = call(`${base()}/runtime/invocation/next`).then((r) => ((answered = true), r));
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(answered).toBe(false);
        expect(worker.endpoint.state).toBe('waiting');
        const before = Date.now();
        void worker.endpoint.deliver(
          invocation('req-1', {
            clientContext: '{"custom":{"a":1}}',
            cognitoIdentity: '{"cognitoIdentityId":"id"}',
          }),
        );
        const response = await next;
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/json');
        expect(response.headers.get('lambda-runtime-aws-request-id')).toBe('req-1');
        const deadline = Number(response.headers.get('lambda-runtime-deadline-ms'));
        expect(deadline).toBeGreaterThanOrEqual(before + 3000);
        expect(deadline).toBeLessThan(before + 3500);
        expect(response.headers.get('lambda-runtime-invoked-function-arn')).toBe(
          'arn:aws:lambda:us-east-1:000000000000:function:f',
        );
        expect(response.headers.get('lambda-runtime-trace-id')).toMatch(/^Root=1-/);
        expect(response.headers.get('lambda-runtime-client-context')).toBe('{"custom":{"a":1}}');
        expect(response.headers.get('lambda-runtime-cognito-identity')).toBe(
          '{"cognitoIdentityId":"id"}',
        );
        expect(await response.text()).toBe('{"n":1}');
      });

      test('an event queued before the runtime asks is handed over on its first /next', async () => {
        const reply = worker.endpoint.deliver(invocation('early'));
        const response = await call(`${base()}/runtime/invocation/next`);
        expect(response.headers.get('lambda-runtime-aws-request-id')).toBe('early');
        await call(`${base()}/runtime/invocation/early/response`, { method: 'POST', body: '"ok"' });
        expect(await reply).toEqual({ kind: 'response', body: Buffer.from('"ok"') });
      });

      test('a second /next while an invocation is in flight is refused (403), state unchanged', async () => {
        void worker.endpoint.deliver(invocation('busy'));
        await call(`${base()}/runtime/invocation/next`);
        const again = await call(`${base()}/runtime/invocation/next`);
        expect(again.status).toBe(403);
        expect(await again.json()).toMatchObject({ errorType: 'InvalidStateTransition' });
        expect(worker.endpoint.inFlightRequestId).toBe('busy');
      });
    });

    describe('POST /runtime/invocation/{id}/response and /error', () => {
      /** Deliver an event and fetch it as the runtime would; the reply promise is boxed so await does not unwrap it. */
      async function inFlight(id: string) {
        const reply = worker.endpoint.deliver(invocation(id));
        await call(`${base()}/runtime/invocation/next`);
        return { reply };
      }

      test('response → 202 and the reply', async () => {
        const { reply } = await inFlight('r1');
        const response = await call(`${base()}/runtime/invocation/r1/response`, {
          method: 'POST',
          body: '{"ok":true}',
        });
        expect(response.status).toBe(202);
        expect(await reply).toEqual({ kind: 'response', body: Buffer.from('{"ok":true}') });
        expect(worker.endpoint.state).toBe('initializing');
      });

      test('unknown request id → 400 InvalidRequestID, and the real id still works', async () => {
        const { reply } = await inFlight('real');
        const wrong = await call(`${base()}/runtime/invocation/other/response`, {
          method: 'POST',
          body: '1',
        });
        expect(wrong.status).toBe(400);
        expect(await wrong.json()).toMatchObject({
          errorType: 'InvalidRequestID',
          errorMessage: expect.stringContaining('other'),
        });
        expect(
          (await call(`${base()}/runtime/invocation/real/response`, { method: 'POST', body: '2' }))
            .status,
        ).toBe(202);
        expect(await reply).toEqual({ kind: 'response', body: Buffer.from('2') });
        const late = await call(`${base()}/runtime/invocation/real/response`, {
          method: 'POST',
          body: '3',
        });
        expect(late.status).toBe(400);
      });

      test('a response over 6 MB → 413 RequestEntityTooLarge and a too-large reply with the size', async () => {
        const { reply } = await inFlight('big');
        const body = Buffer.alloc(maxResponseBytes + 1, 0x61);
        const response = await call(`${base()}/runtime/invocation/big/response`, {
          method: 'POST',
          body,
        });
        expect(response.status).toBe(413);
        expect(await response.json()).toMatchObject({ errorType: 'RequestEntityTooLarge' });
        expect(await reply).toEqual({ kind: 'too-large', bytes: maxResponseBytes + 1 });
      });

      test('exactly 6 MB (+100 bytes of framing, as AWS counts) is accepted', async () => {
        const { reply } = await inFlight('edge');
        const response = await call(`${base()}/runtime/invocation/edge/response`, {
          method: 'POST',
          body: Buffer.alloc(maxResponseBytes, 0x61),
        });
        expect(response.status).toBe(202);
        expect((await reply).kind).toBe('response');
      });

      test('error → 202; the type comes from Lambda-Runtime-Function-Error-Type, else the body, else Unhandled', async () => {
        const cases: Array<[Record<string, string>, string, string]> = [
          [
            { 'Lambda-Runtime-Function-Error-Type': 'Runtime.HandlerNotFound' },
            '{"errorType":"X"}',
            'Runtime.HandlerNotFound',
          ],
          [{}, '{"errorType":"ValueError","errorMessage":"m"}', 'ValueError'],
          [{}, 'not json', 'Unhandled'],
        ];
        for (const [index, [headers, body, expected]] of cases.entries()) {
          const { reply } = await inFlight(`e${index}`);
          const response = await call(`${base()}/runtime/invocation/e${index}/error`, {
            method: 'POST',
            headers,
            body,
          });
          expect(response.status).toBe(202);
          expect(await reply).toEqual({
            kind: 'error',
            report: { errorType: expected, body: Buffer.from(body) },
          });
        }
      });
    });

    describe('POST /runtime/init/error and unknown routes', () => {
      test('init error → 202 and the worker is told', async () => {
        const reports: string[] = [];
        worker.endpoint.hooks.onInitError = (report) =>
          reports.push(`${report.errorType}|${report.body.toString()}`);
        const body =
          '{"errorType":"Runtime.ImportModuleError","errorMessage":"Unable to import module"}';
        const response = await call(`${base()}/runtime/init/error`, {
          method: 'POST',
          headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError' },
          body,
        });
        expect(response.status).toBe(202);
        expect(reports).toEqual([`Runtime.ImportModuleError|${body}`]);
      });

      test('unknown path → 404 with an error body; wrong method → 405 with Allow', async () => {
        const missing = await call(`${base()}/runtime/restore/next`);
        expect(missing.status).toBe(404);
        expect(await missing.json()).toMatchObject({ errorType: 'NotFound' });
        const wrongMethod = await call(`${base()}/runtime/invocation/next`, {
          method: 'POST',
          body: '',
        });
        expect(wrongMethod.status).toBe(405);
        expect(wrongMethod.headers.get('allow')).toBe('GET');
      });

      test("each worker has its own listener: one worker cannot answer another's invocation", async () => {
        const other = await server.attach('w2');
        expect(other.port).not.toBe(worker.port);
        void worker.endpoint.deliver(invocation('mine'));
        await call(`${base()}/runtime/invocation/next`);
        const stolen = await fetch(
          `http://${other.runtimeApi}/2018-06-01/runtime/invocation/mine/response`,
          { method: 'POST', body: '1' },
        );
        expect(stolen.status).toBe(400);
        expect(worker.endpoint.inFlightRequestId).toBe('mine');
      });

      test('detach closes a parked long poll', async () => {
        const next = call(`${base()}/runtime/invocation/next`).then(
          () => 'answered',
          () => 'closed',
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
        await worker.detach();
        expect(await next).toBe('closed');
      });
    });
  },
);

describe('Unix socket transport (lbuild bootstraps on the host)', () => {
  beforeEach(async () => {
    server = new RuntimeApiServer();
    worker = await server.attach('w1');
  });
  afterEach(async () => server.close());

  test('the socket serves the same endpoint as the TCP port, and goes away with the worker', async () => {
    const local = await server.attach('w-local', { localSocket: 'owner' });
    expect(local.socketPath).toMatch(/\.sock$/);
    const dispatcher = new Agent({ connect: { socketPath: local.socketPath! } });
    const next = fetch(`http://${local.runtimeApi}/2018-06-01/runtime/invocation/next`, {
      dispatcher,
    } as RequestInit);
    const reply = local.endpoint.deliver(invocation('over-socket'));
    const event = await next;
    expect(event.headers.get('lambda-runtime-aws-request-id')).toBe('over-socket');
    // The answer may come back over either transport: it is one endpoint.
    const posted = await fetch(
      `http://${local.runtimeApi}/2018-06-01/runtime/invocation/over-socket/response`,
      { method: 'POST', body: '"via tcp"' },
    );
    expect(posted.status).toBe(202);
    expect(await reply).toEqual({ kind: 'response', body: Buffer.from('"via tcp"') });
    await dispatcher.close();
    await local.detach();
    expect(existsSync(local.socketPath!)).toBe(false);
  });

  test('the sockets live in a private folder that close() removes', async () => {
    const local = await server.attach('w-private', { localSocket: 'owner' });
    const folder = dirname(local.socketPath!);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    await server.close();
    expect(existsSync(folder)).toBe(false);
  });
});
