import { describe, expect, it } from 'vitest';
import {
  clientAddress,
  forwardedRequestHeaders,
  forwardedResponseHeaders,
  headerPairs,
} from '../../../../src/emulator/web/web-headers.js';

const names = (pairs: Array<[string, string]>) => pairs.map(([name]) => name.toLowerCase());
const value = (pairs: Array<[string, string]>, name: string) =>
  pairs.find(([n]) => n.toLowerCase() === name)?.[1];

describe('web function request headers', () => {
  const forward = (raw: string[], clientIp = '192.0.2.1') =>
    forwardedRequestHeaders({
      headers: headerPairs(raw),
      requestId: 'req-1',
      endpointName: 'site',
      clientIp,
    });

  it.each([
    'Connection',
    'Keep-Alive',
    'Upgrade',
    'Expect',
    'TE',
    'Trailer',
    'Transfer-Encoding',
    'Proxy-Authorization',
    'Proxy-Connection',
    'X-Real-IP',
    'X-HTTP-Method-Override',
    'X-Method-Override',
    'lambda-web-request-id',
    'lambda-web-anything',
  ])('removes the %s a client sent', (name) => {
    const sent = forward([name, 'client-value', 'Accept', '*/*']);
    expect(sent.filter(([, v]) => v === 'client-value')).toEqual([]);
    expect(names(sent)).toContain('accept');
  });

  it('removes the headers Connection names, keeps the rest in order', () => {
    const out = forward([
      'Connection',
      'close, X-Secret',
      'X-Secret',
      's',
      'Accept',
      '*/*',
      'Cookie',
      'a=1',
    ]);
    expect(out.slice(0, 2)).toEqual([
      ['Accept', '*/*'],
      ['Cookie', 'a=1'],
    ]);
  });

  it('adds its request id and endpoint name, replacing any a client sent', () => {
    const out = forward(['lambda-web-request-id', 'forged', 'lambda-web-endpoint-name', 'other']);
    expect(value(out, 'lambda-web-request-id')).toBe('req-1');
    expect(value(out, 'lambda-web-endpoint-name')).toBe('site');
    expect(out.filter(([n]) => n.toLowerCase().startsWith('lambda-web-'))).toHaveLength(2);
  });

  it.each([
    [[], '192.0.2.1'],
    [['X-Forwarded-For', '203.0.113.9'], '203.0.113.9, 192.0.2.1'],
    [
      ['X-Forwarded-For', '10.0.0.1, 10.0.0.2', 'x-forwarded-for', '10.0.0.3'],
      '10.0.0.1, 10.0.0.2, 10.0.0.3, 192.0.2.1',
    ],
  ])('appends the client IP as the last X-Forwarded-For value (%j)', (raw, expected) => {
    const out = forward(raw);
    expect(out.filter(([n]) => n.toLowerCase() === 'x-forwarded-for')).toEqual([
      ['X-Forwarded-For', expected],
    ]);
  });

  it('writes IPv4-mapped addresses as IPv4', () => {
    expect(clientAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientAddress('::1')).toBe('::1');
  });
});

describe('web function response headers', () => {
  it('drops hop-by-hop headers and any request id of the app, and adds its own', () => {
    const out = forwardedResponseHeaders(
      headerPairs([
        'Content-Type',
        'text/event-stream',
        'Connection',
        'keep-alive, X-Hop',
        'X-Hop',
        '1',
        'Keep-Alive',
        'timeout=5',
        'Transfer-Encoding',
        'chunked',
        'Set-Cookie',
        'a=1',
        'Set-Cookie',
        'b=2',
        'lambda-web-request-id',
        'app-made',
      ]),
      'req-9',
    );
    expect(out).toEqual([
      ['Content-Type', 'text/event-stream'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
      ['lambda-web-request-id', 'req-9'],
    ]);
  });
});
