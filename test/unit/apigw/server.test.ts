/** The gateway over real HTTP on loopback, with JavaScript handlers standing in for the worker pool. */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../../src/emulator/apigw/server.js';
import type { AccessRecord } from '../../../src/emulator/apigw/gateway.js';
import { EnvironmentError } from '../../../src/errors.js';
import { inProcessInvoker, SimulatedOutcome } from './in-process-invoker.js';

const echo = (event: any) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(event),
});

const invoker = inProcessInvoker({
  echo,
  echoV1: echo,
  cookies: () => ({ statusCode: 200, cookies: ['a=1; Path=/', 'b=2; HttpOnly'], body: 'ok' }),
  binary: (event) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/octet-stream' },
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
  }),
  inferred: () => ({ hello: 'world' }),
  malformed: () => Buffer.from('this is not JSON'),
  badBody: () => ({ statusCode: 200, body: { not: 'a string' } }),
  crash: () => {
    throw new TypeError('boom');
  },
  ownTimeout: () => {
    // Its own timeout (0.2 s) is shorter than the gateway's (0.5 s here): Lambda reports an error.
    throw new SimulatedOutcome({ kind: 'timed-out', timeoutSeconds: 0.2 });
  },
  slow: async () => {
    await sleep(1500);
    return 'late';
  },
  throttled: () => {
    throw new SimulatedOutcome({ kind: 'throttled' });
  },
  cors: () => ({
    statusCode: 200,
    headers: { 'access-control-allow-origin': '*', 'x-total': '3' },
    body: 'listed',
  }),
});

const records: AccessRecord[] = [];
let http: RunningGateway;
let rest: RunningGateway;

beforeAll(async () => {
  http = await startGateway({
    invoker,
    port: 0,
    integrationTimeoutMs: 500,
    cors: {
      allowOrigins: ['https://app.example.com'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['content-type'],
      exposeHeaders: ['x-total'],
      maxAge: 300,
    },
    onRequest: (record) => records.push(record),
    functions: [
      { name: 'echo', routes: ['ANY /echo/{proxy+}', 'GET /echo'], payloadVersion: '2.0' },
      { name: 'echoV1', routes: ['ANY /v1/{proxy+}'], payloadVersion: '1.0' },
      { name: 'cookies', routes: ['GET /cookies'], payloadVersion: '2.0' },
      { name: 'binary', routes: ['POST /binary'], payloadVersion: '2.0' },
      { name: 'inferred', routes: ['GET /inferred'], payloadVersion: '2.0' },
      { name: 'malformed', routes: ['GET /malformed'], payloadVersion: '2.0' },
      { name: 'badBody', routes: ['GET /bad-body'], payloadVersion: '2.0' },
      { name: 'crash', routes: ['GET /crash'], payloadVersion: '2.0' },
      { name: 'ownTimeout', routes: ['GET /own-timeout'], payloadVersion: '2.0' },
      { name: 'slow', routes: ['GET /slow'], payloadVersion: '2.0' },
      { name: 'throttled', routes: ['GET /throttled'], payloadVersion: '2.0' },
      { name: 'cors', routes: ['GET /cors'], payloadVersion: '2.0' },
      { name: 'missing', routes: ['GET /missing'], payloadVersion: '2.0' },
    ],
  });
  rest = await startGateway({
    invoker,
    port: 0,
    api: 'rest',
    stage: 'dev',
    integrationTimeoutMs: 500,
    functions: [
      { name: 'echo', routes: ['ANY /{proxy+}'], payloadVersion: '2.0' },
      { name: 'slow', routes: ['GET /slow'], payloadVersion: '1.0' },
    ],
  });
});

afterAll(async () => {
  await http?.close();
  await rest?.close();
});

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

describe('HTTP API (payload 2.0)', () => {
  it('passes cookies in and sets one set-cookie per response cookie', async () => {
    const seen = await call(`${http.url}/echo/x`, {
      headers: { cookie: 'session=abc; theme=dark' },
    });
    expect(JSON.parse(seen.json().body ?? '{}')).toEqual({});
    expect(seen.json().cookies).toEqual(['session=abc', 'theme=dark']);
    expect(seen.json().headers).not.toHaveProperty('cookie');

    const set = await call(`${http.url}/cookies`);
    expect(set.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
  });

  it('comma-joins repeated headers and query keys, keeps rawQueryString', async () => {
    const res = await call(`${http.url}/echo/a%20b?tag=x&tag=y&q=caf%C3%A9`, {
      headers: ['X-Multi', 'one', 'X-Multi', 'two'],
    });
    const event = res.json();
    expect(event.headers['x-multi']).toBe('one,two');
    expect(event.queryStringParameters).toEqual({ tag: 'x,y', q: 'café' });
    expect(event.rawQueryString).toBe('tag=x&tag=y&q=caf%C3%A9');
    expect(event.rawPath).toBe('/echo/a%20b');
    expect(event.pathParameters).toEqual({ proxy: 'a b' });
    expect(event.routeKey).toBe('ANY /echo/{proxy+}');
    expect(event.requestContext.http).toMatchObject({
      method: 'GET',
      path: '/echo/a b',
      sourceIp: '127.0.0.1',
    });
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('gives payload 1.0 functions multi-value maps on an HTTP API', async () => {
    const event = (
      await call(`${http.url}/v1/p?tag=x&tag=y`, { headers: ['X-Multi', 'one', 'X-Multi', 'two'] })
    ).json();
    expect(event.version).toBe('1.0');
    expect(event.multiValueHeaders['x-multi']).toEqual(['one', 'two']);
    expect(event.multiValueQueryStringParameters).toEqual({ tag: ['x', 'y'] });
    expect(event.queryStringParameters).toEqual({ tag: 'y' });
    expect(event.resource).toBe('/v1/{proxy+}');
  });

  it('round-trips a binary body byte for byte', async () => {
    const bytes = randomBytes(256 * 1024);
    const res = await call(`${http.url}/binary`, {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.status).toBe(200);
    expect(res.body.equals(bytes)).toBe(true);
    expect(invoker.events.at(-1)!.event.isBase64Encoded).toBe(true);
  });

  it('infers 200 application/json from a value without statusCode', async () => {
    const res = await call(`${http.url}/inferred`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({ hello: 'world' });
  });

  it.each(['/malformed', '/bad-body', '/crash', '/own-timeout'])(
    'answers 502 Internal server error for %s',
    async (path) => {
      const res = await call(`${http.url}${path}`);
      expect(res.status).toBe(502);
      expect(res.json()).toEqual({ message: 'Internal server error' });
    },
  );

  it('answers 503 Service Unavailable when the integration timeout passes (HTTP API)', async () => {
    const res = await call(`${http.url}/slow`);
    expect(res.status).toBe(503);
    expect(res.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('answers 429 when throttled and 500 for an unknown function', async () => {
    expect((await call(`${http.url}/throttled`)).json()).toEqual({ message: 'Too Many Requests' });
    expect((await call(`${http.url}/throttled`)).status).toBe(429);
    const unknown = await call(`${http.url}/missing`);
    expect([unknown.status, unknown.json()]).toEqual([500, { message: 'Internal server error' }]);
  });

  it('answers 413 when the event would pass 6 MB, and when the body passes 10 MB', async () => {
    const seven = await call(`${http.url}/binary`, {
      method: 'POST',
      body: Buffer.alloc(5 * 1024 * 1024),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect([seven.status, seven.json()]).toEqual([413, { message: 'Request Entity Too Large' }]); // 5 MB base64 ≈ 6.7 MB event
    const eleven = await call(`${http.url}/binary`, {
      method: 'POST',
      body: Buffer.alloc(11 * 1024 * 1024),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(eleven.status).toBe(413);
  });

  it('answers 404 Not Found when no route matches', async () => {
    const res = await call(`${http.url}/nowhere`);
    expect([res.status, res.json()]).toEqual([404, { message: 'Not Found' }]);
  });

  it('answers CORS preflights itself and decorates actual responses', async () => {
    const pre = await call(`${http.url}/cors`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET,POST',
      'access-control-max-age': '300',
    });
    expect(invoker.events.some((e) => e.functionName === 'cors')).toBe(false);

    const actual = await call(`${http.url}/cors`, {
      headers: { origin: 'https://app.example.com' },
    });
    expect(actual.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-expose-headers': 'x-total',
      vary: 'Origin',
    });
    const denied = await call(`${http.url}/cors`, { headers: { origin: 'https://evil.example' } });
    expect(denied.text).toBe('listed');
    expect(Object.keys(denied.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('sends apigw-requestid on every response and reports each request', async () => {
    const res = await call(`${http.url}/nowhere`);
    expect(res.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9+/]{14}==$/);
    const record = records.find((r) => r.requestId === res.headers['apigw-requestid']);
    expect(record).toMatchObject({
      statusCode: 404,
      path: '/nowhere',
      problem: 'no route matches',
    });
  });
});

describe('REST API (payload 1.0 under /{stage})', () => {
  it('strips the stage from path, keeps it in requestContext.path, and sends x-amzn-RequestId', async () => {
    expect(rest.url).toMatch(/\/dev$/);
    const res = await call(`${rest.url}/items/1?x=1`, { headers: { 'X-Mixed-Case': 'v' } });
    const event = res.json();
    expect(event).not.toHaveProperty('version');
    expect(event).toMatchObject({
      resource: '/{proxy+}',
      path: '/items/1',
      pathParameters: { proxy: 'items/1' },
      requestContext: { stage: 'dev', path: '/dev/items/1' },
    });
    expect(event.headers['X-Mixed-Case']).toBe('v');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 403 outside the stage and 504 on integration timeout', async () => {
    const outside = await call(`http://127.0.0.1:${rest.port}/items`);
    expect([outside.status, outside.json()]).toEqual([403, { message: 'Forbidden' }]);
    const slow = await call(`${rest.url}/slow`);
    expect([slow.status, slow.json()]).toEqual([504, { message: 'Endpoint request timed out' }]);
  });
});

describe('startGateway', () => {
  it('reports a busy port as an EnvironmentError with the port and a fix', async () => {
    const error = await startGateway({
      invoker,
      port: http.port,
      functions: [{ name: 'echo', routes: [], payloadVersion: '2.0' }],
    }).catch((e) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toContain(String(http.port));
    expect(error.hint).toMatch(/--port/);
  });
});
