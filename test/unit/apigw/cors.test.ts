/** CORS answered by the gateway, as an HTTP API with a CORS configuration does. */
import { describe, expect, it } from 'vitest';
import type { CorsConfig } from '../../../src/config/types.js';
import { applyCors, isPreflight, preflightResponse } from '../../../src/emulator/apigw/cors.js';
import type { GatewayRequest } from '../../../src/emulator/apigw/request.js';

const request = (method: string, headers: Array<[string, string]>): GatewayRequest => ({
  method,
  rawPath: '/items',
  rawQueryString: '',
  headers,
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  protocol: 'HTTP/1.1',
});
const preflight = (origin: string, requestHeaders = 'content-type') =>
  request('OPTIONS', [
    ['Origin', origin],
    ['Access-Control-Request-Method', 'PUT'],
    ['Access-Control-Request-Headers', requestHeaders],
  ]);
const headersOf = (pairs: Array<[string, string]>) =>
  Object.fromEntries(pairs.map(([k, v]) => [k.toLowerCase(), v]));

const cors: CorsConfig = {
  allowOrigins: ['https://app.example.com'],
  allowMethods: ['GET', 'PUT'],
  allowHeaders: ['content-type', 'authorization'],
  exposeHeaders: ['x-total'],
  allowCredentials: true,
  maxAge: 600,
};

describe('preflight', () => {
  it('recognises only OPTIONS with Origin and Access-Control-Request-Method', () => {
    expect(isPreflight(preflight('https://a'))).toBe(true);
    expect(isPreflight(request('OPTIONS', [['Origin', 'https://a']]))).toBe(false);
    expect(
      isPreflight(
        request('GET', [
          ['Origin', 'https://a'],
          ['Access-Control-Request-Method', 'GET'],
        ]),
      ),
    ).toBe(false);
  });

  it('answers 204 with the configured headers for an allowed origin', () => {
    const response = preflightResponse(cors, preflight('https://app.example.com'));
    expect(response.statusCode).toBe(204);
    expect(headersOf(response.headers)).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET,PUT',
      'access-control-allow-headers': 'content-type,authorization',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
  });

  it('answers 204 without CORS headers for a disallowed origin', () => {
    const response = preflightResponse(cors, preflight('https://evil.example'));
    expect(response.statusCode).toBe(204);
    expect(response.headers).toEqual([]);
  });

  it('uses "*" for any origin without credentials, echoes with them', () => {
    const open: CorsConfig = { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] };
    expect(headersOf(preflightResponse(open, preflight('https://x')).headers)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': '*',
      'access-control-allow-headers': '*',
    });
    const withCredentials = headersOf(
      preflightResponse({ ...open, allowCredentials: true }, preflight('https://x', 'x-token'))
        .headers,
    );
    expect(withCredentials).toMatchObject({
      'access-control-allow-origin': 'https://x',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x-token',
    });
  });
});

describe('actual responses', () => {
  const fromFunction = {
    statusCode: 200,
    headers: [
      ['Access-Control-Allow-Origin', '*'],
      ['content-type', 'text/plain'],
    ] as Array<[string, string]>,
    body: Buffer.from('x'),
  };

  it('replaces function CORS headers with the configured ones for an allowed origin', () => {
    const response = applyCors(
      cors,
      request('GET', [['Origin', 'https://APP.example.com']]),
      fromFunction,
    );
    expect(headersOf(response.headers)).toEqual({
      'content-type': 'text/plain',
      'access-control-allow-origin': 'https://APP.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-total',
      vary: 'Origin',
    });
  });

  it('drops all CORS headers for a disallowed origin or no origin', () => {
    expect(
      applyCors(cors, request('GET', [['Origin', 'https://evil.example']]), fromFunction).headers,
    ).toEqual([['content-type', 'text/plain']]);
    expect(applyCors(cors, request('GET', []), fromFunction).headers).toEqual([
      ['content-type', 'text/plain'],
    ]);
  });
});
