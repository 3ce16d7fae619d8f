/** The function URL event against the Lambda guide's example, and its differences from API Gateway's. */
import { describe, expect, it } from 'vitest';
import type { GatewayRequest } from '../../../src/emulator/apigw/request.js';
import {
  buildFunctionUrlEvent,
  functionUrlDomain,
  functionUrlId,
} from '../../../src/emulator/function-url/index.js';
import { exampleUrlId, functionUrlDocExample } from './aws-doc-example.js';

function request(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: 'GET',
    rawPath: '/',
    rawQueryString: '',
    headers: [['Host', '127.0.0.1:9100']],
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    ...overrides,
  };
}

const docRequest = request({
  method: 'POST',
  rawPath: '/my/path',
  rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
  headers: [
    ['Header1', 'value1'],
    ['Header2', 'value1'],
    ['Header2', 'value2'],
    ['Cookie', 'cookie1; cookie2'],
    ['User-Agent', 'agent'],
  ],
  body: Buffer.from('Hello from client!'),
  sourceIp: '123.123.123.123',
});

const iamCaller = functionUrlDocExample.requestContext.authorizer.iam;

describe('function URL event', () => {
  const event = buildFunctionUrlEvent(docRequest, {
    requestId: 'id',
    timeEpoch: functionUrlDocExample.requestContext.timeEpoch,
    urlId: exampleUrlId,
    region: 'us-west-2',
    accountId: '123456789012',
    caller: {
      accessKey: iamCaller.accessKey,
      accountId: iamCaller.accountId,
      callerId: iamCaller.callerId,
      userArn: iamCaller.userArn,
      userId: iamCaller.userId,
    },
  }) as any;
  const expected = functionUrlDocExample;

  it('matches the AWS_IAM example of the Lambda guide field by field', () => {
    expect(event.version).toBe(expected.version);
    expect(event.routeKey).toBe(expected.routeKey);
    expect(event.rawPath).toBe(expected.rawPath);
    expect(event.rawQueryString).toBe(expected.rawQueryString);
    expect(event.cookies).toEqual(expected.cookies);
    // The example leaves out the User-Agent header that its userAgent field comes from.
    expect(event.headers).toEqual({ ...expected.headers, 'user-agent': 'agent' });
    expect(event.queryStringParameters).toEqual(expected.queryStringParameters);
    expect(event.body).toBe(expected.body);
    expect(event.isBase64Encoded).toBe(expected.isBase64Encoded);
    // "Lambda sets this to null or excludes this from the JSON": lbuild leaves them out, as AWS does.
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('stageVariables');

    const context = event.requestContext;
    const want = expected.requestContext;
    expect(context.accountId).toBe(want.accountId);
    expect(context.apiId).toBe(want.apiId);
    expect(context).toHaveProperty('authentication', null);
    expect(context.authorizer).toEqual(want.authorizer);
    expect(context.domainName).toBe(want.domainName);
    expect(context.domainPrefix).toBe(want.domainPrefix);
    expect(context.http).toEqual(want.http);
    expect(context.requestId).toBe(want.requestId);
    expect(context.routeKey).toBe(want.routeKey);
    expect(context.stage).toBe(want.stage);
    expect(context.timeEpoch).toBe(want.timeEpoch);
    expect(context.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Object.keys(context).sort()).toEqual(Object.keys(want).sort());
  });

  it('names no caller on a NONE URL: account "anonymous", no authorizer', () => {
    const none = buildFunctionUrlEvent(docRequest, {
      requestId: 'r',
      timeEpoch: 0,
      urlId: exampleUrlId,
      region: 'us-east-1',
      accountId: '123456789012',
    }) as any;
    expect(none.requestContext.accountId).toBe('anonymous');
    expect(none.requestContext).not.toHaveProperty('authorizer');
    expect(none.requestContext).not.toHaveProperty('authentication');
    expect(none.requestContext.domainName).toBe(`${exampleUrlId}.lambda-url.us-east-1.on.aws`);
  });

  it('keeps the client Host header but reports the URL domain, for every path', () => {
    const e = buildFunctionUrlEvent(
      request({ rawPath: '/items/42', rawQueryString: 'tag=a&tag=b' }),
      { requestId: 'r', timeEpoch: 0, urlId: 'u', region: 'eu-west-1', accountId: '1' },
    ) as any;
    expect(e.headers.host).toBe('127.0.0.1:9100');
    expect(e.routeKey).toBe('$default');
    expect(e.requestContext.routeKey).toBe('$default');
    expect(e.requestContext.stage).toBe('$default');
    expect(e.requestContext.http.path).toBe('/items/42');
    expect(e.queryStringParameters).toEqual({ tag: 'a,b' });
    expect(e).not.toHaveProperty('body');
  });
});

describe('function URL id', () => {
  it('is 32 lower-case letters and digits, stable for a project and function', () => {
    const id = functionUrlId('shop', 'api');
    expect(id).toMatch(/^[a-z2-7]{32}$/);
    expect(functionUrlId('shop', 'api')).toBe(id);
    expect(functionUrlId('shop', 'jobs')).not.toBe(id);
    expect(functionUrlDomain(id, 'us-east-1')).toBe(`${id}.lambda-url.us-east-1.on.aws`);
  });
});
