/**
 * ASGI apps behind the gateway through lbuild_adapters.asgi: minimal pure-ASGI apps (any python3)
 * and a real Starlette app (Debian's python3-starlette; skipped without it, outside CI).
 */
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../../src/emulator/apigw/server.js';
import { pythonGate } from '../../support/gates.js';
import { pythonInvoker, type PythonInvoker } from './python-invoker.js';

const pureGate = await pythonGate();
const starletteGate = await pythonGate(['starlette']);
const python = pureGate.python;
const starlettePython = starletteGate.python;

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

describe.skipIf(pureGate.skipReason)('pure ASGI apps through lbuild_adapters.asgi', () => {
  let invoker: PythonInvoker;
  let httpApi: RunningGateway;
  let restApi: RunningGateway;

  beforeAll(async () => {
    invoker = pythonInvoker(python!, {
      app: 'asgi:asgi_apps.app',
      plain: 'asgi:asgi_apps.no_lifespan_app',
      silent: 'asgi:asgi_apps.silent_app',
    });
    httpApi = await startGateway({
      invoker,
      port: 0,
      functions: [
        { name: 'plain', routes: ['ANY /plain'], payloadVersion: '2.0' },
        { name: 'silent', routes: ['ANY /silent'], payloadVersion: '2.0' },
        { name: 'app', routes: ['$default'], payloadVersion: '2.0' },
      ],
    });
    restApi = await startGateway({
      invoker,
      port: 0,
      api: 'rest',
      stage: 'dev',
      functions: [{ name: 'app', routes: ['ANY /{proxy+}'], payloadVersion: '1.0' }],
    });
  });

  afterAll(async () => {
    await httpApi?.close();
    await restApi?.close();
    await invoker?.close();
  });

  it('builds the http scope from a 2.0 event, with lifespan state', async () => {
    const res = await call(`${httpApi.url}/a%20b/c?x=1&x=2`, {
      method: 'POST',
      body: 'hello',
      headers: { 'content-type': 'text/plain', cookie: 'k=v' },
    });
    const scope = res.json();
    expect(scope).toMatchObject({
      path: '/a b/c',
      raw_path: '/a%20b/c',
      root_path: '',
      query_string: 'x=1&x=2',
      body: 'hello',
      scheme: 'http',
      state_started: true,
    });
    expect(scope.headers).toMatchObject({ 'content-type': 'text/plain', cookie: 'k=v' });
    expect(scope.client[0]).toBe('127.0.0.1');
    expect(scope.server).toEqual(['127.0.0.1', httpApi.port]);
    expect(res.headers['set-cookie'] as string[]).toEqual(['x=1', 'y=2']);
  });

  it('runs lifespan startup once per cold start, not per request', async () => {
    await call(`${httpApi.url}/one`);
    await call(`${httpApi.url}/two`);
    expect((await call(`${httpApi.url}/three`)).json().startups).toBe(1);
  });

  it('streams a binary body out in chunks and back intact', async () => {
    const bytes = randomBytes(50_000);
    const res = await call(`${httpApi.url}/binary`, {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.body.equals(bytes)).toBe(true);
  });

  it('uses the REST stage as root_path and multiValueHeaders for cookies', async () => {
    const res = await call(`${restApi.url}/items?q=a&q=b`);
    expect(res.json()).toMatchObject({
      path: '/items',
      root_path: '/dev',
      query_string: 'q=a&q=b',
    });
    expect(res.headers['set-cookie'] as string[]).toEqual(['x=1', 'y=2']);
  });

  it('tolerates an app without lifespan support', async () => {
    const res = await call(`${httpApi.url}/plain`);
    expect([res.status, res.text]).toEqual([202, 'no lifespan, still fine']);
  });

  it('reports an app that never responds as a function error (502)', async () => {
    const res = await call(`${httpApi.url}/silent`);
    expect([res.status, res.json()]).toEqual([502, { message: 'Internal server error' }]);
    expect(invoker.stderr()).toContain('without sending http.response.start');
  });
});

describe.skipIf(starletteGate.skipReason)('Starlette through lbuild_adapters.asgi', () => {
  let invoker: PythonInvoker;
  let httpApi: RunningGateway;
  let restApi: RunningGateway;

  beforeAll(async () => {
    invoker = pythonInvoker(starlettePython!, { starlette: 'asgi:starlette_app.app' });
    httpApi = await startGateway({
      invoker,
      port: 0,
      functions: [{ name: 'starlette', routes: ['$default'], payloadVersion: '2.0' }],
    });
    restApi = await startGateway({
      invoker,
      port: 0,
      api: 'rest',
      stage: 'dev',
      functions: [{ name: 'starlette', routes: ['$default'], payloadVersion: '1.0' }],
    });
  });

  afterAll(async () => {
    await httpApi?.close();
    await restApi?.close();
    await invoker?.close();
  });

  it('routes, reads query and cookies, and keeps lifespan state', async () => {
    const res = await call(`${httpApi.url}/items/7?q=a&q=b`, {
      headers: { cookie: 'session=xyz' },
    });
    expect(res.json()).toEqual({
      id: '7',
      q: ['a', 'b'],
      cookie: 'xyz',
      url_for: `http://127.0.0.1:${httpApi.port}/items/42`,
      ready: true,
      startups: 1,
    });
  });

  it('builds url_for below the REST stage', async () => {
    const res = await call(`${restApi.url}/items/7`);
    expect(res.json().url_for).toBe(`http://127.0.0.1:${restApi.port}/dev/items/42`);
    expect(res.json().startups).toBe(1);
  });

  it('echoes binary bodies and sets several cookies', async () => {
    const bytes = randomBytes(10_000);
    const res = await call(`${httpApi.url}/echo`, {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.body.equals(bytes)).toBe(true);
    expect((res.headers['set-cookie'] as string[]).map((c) => c.split(';')[0])).toEqual([
      'one=1',
      'two=2',
    ]);
  });

  it("passes Starlette's own 404 through", async () => {
    const res = await call(`${httpApi.url}/missing`);
    expect([res.status, res.text]).toEqual([404, 'Not Found']);
  });
});
