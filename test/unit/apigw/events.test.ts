/** The pure event builders against the AWS docs' examples, plus the edge cases around them. */
import { describe, expect, it } from 'vitest';
import { buildV1Event } from '../../../src/emulator/apigw/v1-event.js';
import { buildV2Event } from '../../../src/emulator/apigw/v2-event.js';
import {
  formatClfTime,
  type GatewayRequest,
  type RequestInfo,
} from '../../../src/emulator/apigw/request.js';
import { createRouteTable } from '../../../src/emulator/apigw/routes.js';
import { httpApiV1Example, httpApiV2Example, restProxyExample } from './aws-doc-examples.js';

function request(overrides: Partial<GatewayRequest>): GatewayRequest {
  return {
    method: 'GET',
    rawPath: '/',
    rawQueryString: '',
    headers: [],
    body: Buffer.alloc(0),
    sourceIp: '192.0.2.1',
    protocol: 'HTTP/1.1',
    ...overrides,
  };
}

const info = (overrides: Partial<RequestInfo> = {}): RequestInfo => ({
  requestId: 'req-1',
  timeEpoch: Date.UTC(2020, 2, 12, 19, 3, 58),
  accountId: '123456789012',
  apiId: 'api-id',
  stage: '$default',
  ...overrides,
});

/** Drop the fields the gateway invents (ids and clock) before comparing with a docs example. */
function withoutIdsAndTimes(event: any): any {
  const copy = structuredClone(event);
  for (const key of [
    'requestId',
    'extendedRequestId',
    'time',
    'timeEpoch',
    'requestTime',
    'requestTimeEpoch',
  ])
    delete copy.requestContext[key];
  return copy;
}

describe('payload 2.0 event', () => {
  const docRequest = request({
    method: 'POST',
    rawPath: '/my/path',
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    headers: [
      ['Header1', 'value1'],
      ['Header2', 'value1'],
      ['Header2', 'value2'],
      ['Cookie', 'cookie1; cookie2'],
      ['Host', 'id.execute-api.us-east-1.amazonaws.com'],
      ['User-Agent', 'agent'],
    ],
    body: Buffer.from('Hello from Lambda'),
  });
  const built = buildV2Event(
    docRequest,
    { routeKey: '$default', resource: '/my/path', pathParameters: { parameter1: 'value1' } },
    info({ stageVariables: httpApiV2Example.stageVariables }),
  );

  it('matches the AWS docs example field by field', () => {
    const expected = withoutIdsAndTimes(httpApiV2Example);
    const actual = withoutIdsAndTimes(built);
    // The docs example omits the Host and User-Agent headers that every real request carries.
    expect(actual.headers).toEqual({
      ...expected.headers,
      host: 'id.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'agent',
    });
    delete actual.headers;
    delete expected.headers;
    expect(actual).toEqual(expected);
  });

  it('formats time like API Gateway and keeps epoch milliseconds', () => {
    expect(built.requestContext.time).toBe('12/Mar/2020:19:03:58 +0000');
    expect(built.requestContext.timeEpoch).toBe(Date.UTC(2020, 2, 12, 19, 3, 58));
    expect(formatClfTime(Date.UTC(2024, 0, 5, 3, 4, 5, 999))).toBe('05/Jan/2024:03:04:05 +0000');
  });

  it('moves the Cookie header into cookies and lower-cases header names', () => {
    const event = buildV2Event(
      request({
        headers: [
          ['Cookie', 'a=1; b=2'],
          ['cookie', 'c=3'],
          ['X-Custom', 'Y'],
        ],
      }),
      { routeKey: '$default', resource: '/', pathParameters: {} },
      info(),
    );
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers).toEqual({ 'x-custom': 'Y' });
  });

  it('omits optional fields that have no value', () => {
    const event = buildV2Event(
      request({}),
      { routeKey: 'GET /', resource: '/', pathParameters: {} },
      info(),
    );
    for (const key of [
      'cookies',
      'queryStringParameters',
      'pathParameters',
      'stageVariables',
      'body',
    ])
      expect(event).not.toHaveProperty(key);
    expect(event.isBase64Encoded).toBe(false);
    expect(event.rawQueryString).toBe('');
  });

  it.each([
    ['application/json', '{"a":1}', false],
    ['text/html; charset=utf-8', '<p>hi</p>', false],
    ['application/vnd.api+json', '{}', false],
    ['application/octet-stream', 'bytes', true],
    ['image/png', 'png', true],
    ['application/x-www-form-urlencoded', 'a=1', true],
    ['multipart/form-data; boundary=x', '--x--', true],
  ])('body with content-type %s is base64: %s', (contentType, body, base64) => {
    const event = buildV2Event(
      request({
        method: 'POST',
        headers: [['Content-Type', contentType]],
        body: Buffer.from(body),
      }),
      { routeKey: '$default', resource: '/', pathParameters: {} },
      info(),
    );
    expect(event.isBase64Encoded).toBe(base64);
    expect(base64 ? Buffer.from(event.body!, 'base64').toString() : event.body).toBe(body);
  });

  it('keeps rawPath encoded, decodes http.path and query values', () => {
    const event = buildV2Event(
      request({ rawPath: '/a%20b/caf%C3%A9', rawQueryString: 'q=x%26y&sp=a+b&flag' }),
      { routeKey: '$default', resource: '/', pathParameters: {} },
      info(),
    );
    expect(event.rawPath).toBe('/a%20b/caf%C3%A9');
    expect(event.requestContext.http.path).toBe('/a b/café');
    expect(event.queryStringParameters).toEqual({ q: 'x&y', sp: 'a b', flag: '' });
  });
});

describe('payload 1.0 event', () => {
  it('matches the HTTP API 1.0 docs example (HTTP APIs add "version")', () => {
    const built = buildV1Event(
      request({
        method: 'GET',
        rawPath: '/my/path',
        rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
        headers: [
          ['Header1', 'value1'],
          ['Header2', 'value1'],
          ['Header2', 'value2'],
        ],
        body: Buffer.from('Hello from Lambda!'),
      }),
      { routeKey: '$default', resource: '/my/path', pathParameters: {} },
      info({ apiId: 'id' }),
      { flavour: 'http' },
    );
    const expected = withoutIdsAndTimes(httpApiV1Example);
    const actual = withoutIdsAndTimes(built);
    // The guide's 1.0 example disagrees with its own REST example on repeated query keys; REST is
    // documented as last-value-wins, and lbuild follows that everywhere.
    expect(actual.queryStringParameters).toEqual({ parameter1: 'value2', parameter2: 'value' });
    delete actual.queryStringParameters;
    delete expected.queryStringParameters;
    // Without a Host header the domain is "localhost"; the docs example came through execute-api.
    expect(actual.requestContext.domainName).toBe('localhost');
    delete actual.requestContext.domainName;
    delete actual.requestContext.domainPrefix;
    delete expected.requestContext.domainName;
    delete expected.requestContext.domainPrefix;
    expect(actual.requestContext.identity.userAgent).toBeNull();
    actual.requestContext.identity.userAgent = 'user-agent';
    expect(actual).toEqual(expected);
  });

  it('matches the REST proxy docs example (stage in the URL, not in path)', () => {
    const table = createRouteTable([{ routeKey: 'ANY /{proxy+}', target: 'fn' }]);
    const match = table.match('POST', '/hello/world')!;
    const built = buildV1Event(
      request({
        method: 'POST',
        rawPath: '/testStage/hello/world',
        rawQueryString: 'name=me&multivalueName=you&multivalueName=me',
        headers: [
          ['Accept', '*/*'],
          ['Content-Type', 'application/json'],
          ['headerName', 'headerValue'],
          ['Host', 'gy415nuibc.execute-api.us-east-1.amazonaws.com'],
          ['User-Agent', 'PostmanRuntime/2.4.5'],
        ],
        body: Buffer.from('{\r\n\t"a": 1\r\n}'),
        sourceIp: '192.168.196.186',
      }),
      match,
      info({
        stage: 'testStage',
        accountId: '12345678912',
        apiId: 'gy415nuibc',
        stageVariables: { stageVariableName: 'stageVariableValue' },
      }),
      { flavour: 'rest', pathInStage: '/hello/world' },
    );
    expect(built).not.toHaveProperty('version');
    const { requestContext: expectedContext, ...expectedTop } = restProxyExample;
    const { requestContext: actualContext, ...actualTop } = built;
    expect(actualTop).toEqual(expectedTop);
    for (const key of ['stage', 'resourcePath', 'httpMethod', 'apiId', 'accountId'] as const)
      expect(actualContext[key]).toEqual(expectedContext[key]);
    expect(actualContext.identity.sourceIp).toBe(expectedContext.identity.sourceIp);
    expect(actualContext.identity.userAgent).toBe(expectedContext.identity.userAgent);
    expect(actualContext.path).toBe('/testStage/hello/world');
  });

  it('uses null for absent maps and body', () => {
    const event = buildV1Event(
      request({}),
      { routeKey: 'GET /', resource: '/', pathParameters: {} },
      info(),
      { flavour: 'rest' },
    );
    expect(event).toMatchObject({
      headers: null,
      multiValueHeaders: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
  });

  it('keeps a REST request Cookie header in headers (only 2.0 has cookies[])', () => {
    const event = buildV1Event(
      request({ headers: [['Cookie', 'a=1; b=2']] }),
      { routeKey: 'GET /', resource: '/', pathParameters: {} },
      info(),
      { flavour: 'rest' },
    );
    expect(event.headers).toEqual({ Cookie: 'a=1; b=2' });
  });
});
