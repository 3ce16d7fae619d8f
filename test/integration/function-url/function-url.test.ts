/**
 * Function URLs in front of real workers (lbuild's Python bootstrap on the host's python3), reached
 * over HTTP with undici and signed with @smithy/signature-v4: what a user's curl, browser or SDK
 * client sees. The fixture's echo handler returns the event it got, so the event is checked as the
 * function received it. Ports 4200-4209 (tests of other work run beside these).
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import {
  functionUrlId,
  startFunctionUrl,
  type FunctionUrlServerOptions,
  type RunningFunctionUrl,
} from '../../../src/emulator/function-url/index.js';
import { localCredentials } from '../../../src/emulator/local-credentials.js';
import { fnDef, nodeFixtures, pythonFixtures } from '../../unit/emulator/helpers.js';
import { signedHeaders } from '../../unit/function-url/sign.js';

let emulator: Emulator;
const servers: RunningFunctionUrl[] = [];
/** START lines per function: how many times each actually ran. */
const starts = new Map<string, number>();

async function serveUrl(
  options: Omit<FunctionUrlServerOptions, 'invoker' | 'urlId' | 'region'>,
): Promise<RunningFunctionUrl> {
  const server = await startFunctionUrl({
    invoker: emulator.invoker,
    urlId: functionUrlId('urls-test', options.functionName),
    region: 'us-east-1',
    ...options,
  });
  servers.push(server);
  return server;
}

let open: RunningFunctionUrl;
let iam: RunningFunctionUrl;
let withCors: RunningFunctionUrl;
let failing: RunningFunctionUrl;
let slow: RunningFunctionUrl;
let busy: RunningFunctionUrl;

beforeAll(async () => {
  emulator = await startEmulator({
    codeDir: pythonFixtures,
    region: 'us-east-1',
    // No waiting room: a request finding every worker busy is throttled at once.
    queueSize: 0,
    functions: [
      fnDef('busy', 'handlers.sleepy', { concurrency: 1 }),
      fnDef('echo', 'handlers.echo'),
      fnDef('private', 'handlers.echo'),
      fnDef('browser', 'handlers.echo'),
      fnDef('boom', 'handlers.boom'),
      fnDef('spin', 'handlers.spin', { timeout: 1 }),
    ],
  });
  emulator.logs.subscribe((event) => {
    if (event.kind === 'start')
      starts.set(event.functionName, (starts.get(event.functionName) ?? 0) + 1);
  });
  open = await serveUrl({ functionName: 'echo', authType: 'NONE', port: 4200 });
  iam = await serveUrl({ functionName: 'private', authType: 'AWS_IAM', port: 4201 });
  withCors = await serveUrl({
    functionName: 'browser',
    authType: 'NONE',
    port: 4202,
    cors: {
      allowOrigins: ['https://app.example'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['content-type', 'x-api-key'],
      maxAge: 300,
    },
  });
  failing = await serveUrl({ functionName: 'boom', authType: 'NONE', port: 4203 });
  slow = await serveUrl({ functionName: 'spin', authType: 'NONE', port: 4204 });
  busy = await serveUrl({ functionName: 'busy', authType: 'NONE', port: 4207 });
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await emulator?.close();
});

describe('a NONE function URL', () => {
  it('hands the function a function URL event and infers the response from what it returns', async () => {
    expect(open.url).toBe('http://127.0.0.1:4200/');
    const response = await request(`${open.url}items/42?tag=a&tag=b`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'session=s1; theme=dark' },
      body: '{"order":42}',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    const { event, request_id } = (await response.body.json()) as {
      event: any;
      request_id: string;
    };
    // One id: the event's, the function's context.aws_request_id and the response header.
    expect(event.requestContext.requestId).toBe(request_id);
    expect(response.headers['x-amzn-requestid']).toBe(request_id);
    const id = functionUrlId('urls-test', 'echo');
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('$default');
    expect(event.rawPath).toBe('/items/42');
    expect(event.rawQueryString).toBe('tag=a&tag=b');
    expect(event.queryStringParameters).toEqual({ tag: 'a,b' });
    expect(event.cookies).toEqual(['session=s1', 'theme=dark']);
    expect(event.body).toBe('{"order":42}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.headers.host).toBe('127.0.0.1:4200');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event.requestContext).toMatchObject({
      accountId: 'anonymous',
      apiId: id,
      domainName: `${id}.lambda-url.us-east-1.on.aws`,
      domainPrefix: id,
      routeKey: '$default',
      stage: '$default',
      http: { method: 'POST', path: '/items/42', sourceIp: '127.0.0.1' },
    });
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('answers a function error with 502 "Internal Server Error"', async () => {
    const response = await request(failing.url);
    expect(response.statusCode).toBe(502);
    expect(await response.body.text()).toBe('Internal Server Error');
  });

  it('answers a function that runs past its timeout with 502', async () => {
    const response = await request(slow.url);
    expect(response.statusCode).toBe(502);
    expect(await response.body.text()).toBe('Internal Server Error');
  });
});

describe('a function at its concurrency limit', () => {
  it('answers the requests it cannot take with 429', async () => {
    const responses = await Promise.all(
      [1, 2, 3].map(async () => {
        const response = await request(busy.url);
        return { status: response.statusCode, body: await response.body.text() };
      }),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect(statuses).toContain(429);
    const throttled = responses.find((r) => r.status === 429)!;
    expect(JSON.parse(throttled.body)).toEqual({ Message: 'Rate Exceeded.' });
  });
});

describe('an AWS_IAM function URL', () => {
  it('runs a request signed with the local credentials, naming the caller', async () => {
    const body = JSON.stringify({ report: 'daily' });
    const headers = await signedHeaders({
      method: 'POST',
      host: '127.0.0.1:4201',
      path: '/reports',
      query: { day: '2026-12-06' },
      headers: { 'content-type': 'application/json' },
      body,
    });
    const response = await request(`${iam.url}reports?day=2026-12-06`, {
      method: 'POST',
      headers,
      body,
    });
    expect(response.statusCode).toBe(200);
    const { event } = (await response.body.json()) as { event: any };
    expect(event.requestContext.authorizer.iam).toMatchObject({
      accessKey: localCredentials.accessKeyId,
      cognitoIdentity: null,
      principalOrgId: null,
    });
    expect(event.requestContext.authentication).toBeNull();
    expect(event.body).toBe(body);
  });

  it('refuses an unsigned request with 403 without running the function', async () => {
    const before = starts.get('private') ?? 0;
    const response = await request(`${iam.url}reports`);
    expect(response.statusCode).toBe(403);
    expect(response.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(await response.body.json()).toEqual({ Message: 'Forbidden' });
    expect(starts.get('private') ?? 0).toBe(before);
  });
});

describe('a function URL with CORS', () => {
  it('answers a preflight itself: the function does not run', async () => {
    const before = starts.get('browser') ?? 0;
    const response = await request(withCors.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    await response.body.dump();
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(response.headers['access-control-allow-methods']).toBe('GET,POST');
    expect(response.headers['access-control-allow-headers']).toBe('content-type,x-api-key');
    expect(response.headers['access-control-max-age']).toBe('300');
    expect(starts.get('browser') ?? 0).toBe(before);
  });

  it('adds the configured headers to the function response for an allowed origin', async () => {
    const before = starts.get('browser') ?? 0;
    const response = await request(withCors.url, { headers: { origin: 'https://app.example' } });
    await response.body.dump();
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(starts.get('browser')).toBe(before + 1);
  });
});

describe('a function URL in front of a Node.js handler', () => {
  let nodeEmulator: Emulator;
  let nodeUrls: RunningFunctionUrl[];
  beforeAll(async () => {
    const nodeFn = (name: string, handler: string) =>
      fnDef(name, handler, { runtimeName: 'nodejs20.x' });
    nodeEmulator = await startEmulator({
      codeDir: nodeFixtures,
      region: 'us-east-1',
      functions: [
        nodeFn('nodeEcho', 'cjs/index.handler'),
        nodeFn('nodeError', 'cjs/index.callbackError'),
      ],
    });
    nodeUrls = await Promise.all(
      [
        { functionName: 'nodeEcho', port: 4205 },
        { functionName: 'nodeError', port: 4206 },
      ].map(({ functionName, port }) =>
        startFunctionUrl({
          invoker: nodeEmulator.invoker,
          functionName,
          authType: 'NONE',
          urlId: functionUrlId('urls-test', functionName),
          region: 'us-east-1',
          port,
        }),
      ),
    );
  });
  afterAll(async () => {
    await Promise.all((nodeUrls ?? []).map((server) => server.close()));
    await nodeEmulator?.close();
  });

  it('hands it the same event and answers its error with 502', async () => {
    const ok = await request(`${nodeUrls[0]!.url}?a=1&a=2`);
    expect(ok.statusCode).toBe(200);
    const { kind, event } = (await ok.body.json()) as { kind: string; event: any };
    expect(kind).toBe('cjs');
    expect(event.queryStringParameters).toEqual({ a: '1,2' });
    expect(event.requestContext.accountId).toBe('anonymous');
    const failed = await request(nodeUrls[1]!.url);
    expect(failed.statusCode).toBe(502);
    expect(await failed.body.text()).toBe('Internal Server Error');
  });
});
