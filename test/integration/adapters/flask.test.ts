/**
 * A real Flask app (Debian's python3-flask) behind the gateway through lbuild_adapters.wsgi, on an
 * HTTP API (payload 2.0) and a REST API with stage "dev" (payload 1.0). Needs a python3 with Flask:
 * `apt-get install -y python3-flask`, or LBUILD_TEST_PYTHON=/path/to/python.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../../src/emulator/apigw/server.js';
import { pythonGate } from '../../support/gates.js';
import { pythonInvoker, type PythonInvoker } from './python-invoker.js';

const gate = await pythonGate(['flask']);
const python = gate.python;

async function call(url: string, options: Parameters<typeof request>[1] = {}) {
  const response = await request(url, options);
  const body = Buffer.from(await response.body.arrayBuffer());
  return {
    status: response.statusCode,
    headers: response.headers,
    body,
    text: body.toString(),
    json: () => JSON.parse(body.toString()),
  };
}

describe.skipIf(gate.skipReason)('Flask through lbuild_adapters.wsgi', () => {
  let invoker: PythonInvoker;
  let httpApi: RunningGateway;
  let restApi: RunningGateway;

  beforeAll(async () => {
    invoker = pythonInvoker(python!, { flask: 'wsgi:flask_app.app' });
    const functions = [{ name: 'flask', routes: ['$default'], payloadVersion: '2.0' as const }];
    httpApi = await startGateway({ invoker, port: 0, functions });
    restApi = await startGateway({
      invoker,
      port: 0,
      api: 'rest',
      stage: 'dev',
      functions: [{ ...functions[0]!, payloadVersion: '1.0' }],
    });
  });

  afterAll(async () => {
    await httpApi?.close();
    await restApi?.close();
    await invoker?.close();
  });

  for (const api of ['http', 'rest'] as const) {
    const base = () => (api === 'http' ? httpApi.url : restApi.url);

    describe(api === 'http' ? 'HTTP API, payload 2.0' : 'REST API, payload 1.0, stage dev', () => {
      it('GET with repeated query keys and cookies', async () => {
        const res = await call(`${base()}/hello?name=Ada%20L&tag=a&tag=b`, {
          headers: { cookie: 'session=s1; theme=dark' },
        });
        expect(res.status).toBe(200);
        expect(res.json()).toMatchObject({
          name: 'Ada L',
          tags: ['a', 'b'],
          cookies: { session: 's1', theme: 'dark' },
          remote_addr: '127.0.0.1',
        });
      });

      it('POST JSON', async () => {
        const body = JSON.stringify({ items: [1, 2, 3], name: 'café' });
        const res = await call(`${base()}/json`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(201);
        expect(res.json()).toEqual({
          received: { items: [1, 2, 3], name: 'café' },
          content_length: Buffer.byteLength(body),
          content_type: 'application/json',
        });
      });

      it('binary upload and download survive byte for byte', async () => {
        const bytes = randomBytes(100_000);
        const up = await call(`${base()}/upload`, {
          method: 'POST',
          body: bytes,
          headers: { 'content-type': 'application/octet-stream' },
        });
        expect(up.body.equals(bytes)).toBe(true);
        expect(up.headers['x-sha256']).toBe(createHash('sha256').update(bytes).digest('hex'));
        const down = await call(`${base()}/download`);
        expect(down.headers['content-type']).toBe('image/png');
        expect([...down.body]).toEqual([...Array(256).keys()]);
      });

      it('several Set-Cookie headers all reach the client', async () => {
        const res = await call(`${base()}/set-cookies`);
        const cookies = res.headers['set-cookie'] as string[];
        expect(cookies.map((c) => c.split(';')[0])).toEqual(['a=1', 'b=2', 'c=3']);
        expect(cookies[1]).toMatch(/HttpOnly/);
        expect(res.text).toBe('cookies set');
      });

      it("passes Flask's own 404 through", async () => {
        const res = await call(`${base()}/no-such-page`);
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/text\/html/);
        expect(res.text).toMatch(/Not Found/);
      });

      it('exposes lambda.event, lambda.context and wsgi.errors', async () => {
        const res = await call(`${base()}/lambda`);
        expect(res.json()).toEqual({ function_name: 'adapter-test', has_event: true });
        expect(invoker.stderr()).toContain('written to wsgi.errors');
      });

      it('decodes non-ASCII path segments', async () => {
        expect((await call(`${base()}/unicode/caf%C3%A9`)).json()).toEqual({ word: 'café' });
      });

      it("passes Flask's own 500 for an exception in a view", async () => {
        // Flask catches view errors itself, so the function succeeds with a 500 response.
        const res = await call(`${base()}/boom`);
        expect(res.status).toBe(500);
        expect(res.text).toMatch(/Internal Server Error/);
      });
    });
  }

  it('mounts the app below the REST stage so url_for links work through the gateway', async () => {
    const res = (await call(`${restApi.url}/hello`)).json();
    expect(res).toMatchObject({ script_root: '/dev', path: '/hello', self_link: '/dev/hello' });
    expect(res.external_link).toBe(`http://127.0.0.1:${restApi.port}/dev/hello`);
    const followed = await call(`http://127.0.0.1:${restApi.port}${res.self_link}`);
    expect(followed.status).toBe(200);
  });

  it('builds links at the root on an HTTP API ($default stage)', async () => {
    const res = (await call(`${httpApi.url}/hello`)).json();
    expect(res).toMatchObject({
      script_root: '',
      self_link: '/hello',
      external_link: `http://127.0.0.1:${httpApi.port}/hello`,
    });
  });
});
