/** How a function URL answers: Lambda's inference, its error answers, and CORS where config wins. */
import { describe, expect, it } from 'vitest';
import type { GatewayResponse } from '../../../src/emulator/apigw/gateway-response.js';
import type { GatewayRequest } from '../../../src/emulator/apigw/request.js';
import { urlResponseForOutcome } from '../../../src/emulator/function-url/index.js';
import { applyUrlCors } from '../../../src/emulator/function-url/url-cors.js';
import type { InvocationOutcome } from '../../../src/emulator/types.js';

const base = { requestId: 'r', logs: [], durationMs: 1 };
const succeeded = (value: unknown): InvocationOutcome => ({
  ...base,
  kind: 'succeeded',
  body: Buffer.from(JSON.stringify(value)),
});
const text = (response: GatewayResponse) => response.body.toString('utf8');
const header = (response: GatewayResponse, name: string) =>
  response.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);

describe('function URL responses', () => {
  it('infers 200 application/json from a return value without statusCode, as the guide shows', () => {
    const string = urlResponseForOutcome(succeeded('Hello, world!')).response;
    expect([string.statusCode, header(string, 'content-type'), text(string)]).toEqual([
      200,
      ['application/json'],
      'Hello, world!',
    ]);
    const object = urlResponseForOutcome(succeeded({ message: 'Hello, world!' })).response;
    expect(JSON.parse(text(object))).toEqual({ message: 'Hello, world!' });
  });

  it('passes a custom response with cookies through as set-cookie headers', () => {
    const { response } = urlResponseForOutcome(
      succeeded({
        statusCode: 201,
        headers: { 'My-Custom-Header': 'Custom Value' },
        body: '{"message":"Hello, world!"}',
        cookies: ['Cookie_1=Value1; Max-Age=78000', 'Cookie_2=Value2'],
      }),
    );
    expect(response.statusCode).toBe(201);
    expect(header(response, 'my-custom-header')).toEqual(['Custom Value']);
    expect(header(response, 'set-cookie')).toHaveLength(2);
  });

  it('answers a function error, a timeout or a crash with 502 "Internal Server Error"', () => {
    const failures: InvocationOutcome[] = [
      { ...base, kind: 'function-error', errorType: 'ValueError', body: Buffer.from('{}') },
      { ...base, kind: 'timed-out', timeoutSeconds: 900 },
      { ...base, kind: 'worker-exited', exitCode: 1 },
      { ...base, kind: 'succeeded', body: Buffer.from('not json') },
    ];
    for (const outcome of failures) {
      const { response, problem } = urlResponseForOutcome(outcome);
      expect([response.statusCode, text(response)]).toEqual([502, 'Internal Server Error']);
      expect(problem).toBeTruthy();
    }
  });

  it('answers a throttled invocation with 429', () => {
    const { response } = urlResponseForOutcome({ kind: 'throttled', requestId: 'r', logs: [] });
    expect(response.statusCode).toBe(429);
    expect(header(response, 'x-amzn-errortype')).toEqual(['TooManyRequestsException']);
  });
});

describe('function URL CORS', () => {
  const request: GatewayRequest = {
    method: 'GET',
    rawPath: '/',
    rawQueryString: '',
    headers: [['Origin', 'https://app.example']],
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
  };
  const fromFunction: GatewayResponse = {
    statusCode: 200,
    headers: [
      ['Access-Control-Allow-Origin', 'https://evil.example'],
      ['Access-Control-Max-Age', '600'],
      ['content-type', 'text/plain'],
    ],
    body: Buffer.from('ok'),
  };

  it("lets the configured headers win where they conflict and keeps the function's others", () => {
    const response = applyUrlCors(
      { allowOrigins: ['https://app.example'], exposeHeaders: ['x-total'] },
      request,
      fromFunction,
    );
    expect(header(response, 'access-control-allow-origin')).toEqual(['https://app.example']);
    expect(header(response, 'access-control-expose-headers')).toEqual(['x-total']);
    expect(header(response, 'access-control-max-age')).toEqual(['600']);
    expect(header(response, 'content-type')).toEqual(['text/plain']);
  });

  it('adds nothing for an origin the configuration does not allow', () => {
    const response = applyUrlCors({ allowOrigins: ['https://other.example'] }, request, {
      ...fromFunction,
      headers: [['content-type', 'text/plain']],
    });
    expect(header(response, 'access-control-allow-origin')).toEqual([]);
  });
});
