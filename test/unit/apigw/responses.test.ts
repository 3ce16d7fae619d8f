/** Reading function results as proxy responses (2.0 with inference, 1.0 strict) and outcome mapping. */
import { describe, expect, it } from 'vitest';
import { responseForOutcome } from '../../../src/emulator/apigw/outcomes.js';
import { parseV1Response } from '../../../src/emulator/apigw/v1-response.js';
import { parseV2Response } from '../../../src/emulator/apigw/v2-response.js';
import type { InvocationOutcome } from '../../../src/emulator/types.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('payload 2.0 response', () => {
  // The interpretation table in the AWS docs, plus the shapes around it.
  it.each([
    ['a string', json('Hello from Lambda!'), 'Hello from Lambda!'],
    [
      'an object without statusCode',
      Buffer.from('{ "message": "Hello from Lambda!" }'),
      '{ "message": "Hello from Lambda!" }',
    ],
    ['a number', json(42), '42'],
    ['an array', json([1, 2]), '[1,2]'],
    ['an object with body but no statusCode', json({ body: 'x' }), '{"body":"x"}'],
  ])('infers 200 application/json for %s', (_name, payload, body) => {
    const parsed = parseV2Response(payload);
    expect(parsed).toEqual({
      ok: true,
      response: {
        statusCode: 200,
        headers: [['content-type', 'application/json']],
        body: Buffer.from(body),
      },
    });
  });

  it('turns cookies into one set-cookie each and keeps headers', () => {
    const parsed = parseV2Response(
      json({
        statusCode: 201,
        headers: { 'x-a': 'b', 'x-n': 5 },
        cookies: ['a=1; Path=/', 'b=2'],
        body: 'ok',
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      response: {
        statusCode: 201,
        headers: [
          ['x-a', 'b'],
          ['x-n', '5'],
          ['set-cookie', 'a=1; Path=/'],
          ['set-cookie', 'b=2'],
        ],
        body: Buffer.from('ok'),
      },
    });
  });

  it('decodes a base64 body', () => {
    const bytes = Buffer.from([0, 255, 1, 254]);
    const parsed = parseV2Response(
      json({ statusCode: 200, body: bytes.toString('base64'), isBase64Encoded: true }),
    );
    expect(parsed.ok && parsed.response.body).toEqual(bytes);
  });

  it.each([
    ['not JSON', Buffer.from('oops')],
    ['a bad statusCode', json({ statusCode: 'two hundred' })],
    ['a non-string body', json({ statusCode: 200, body: { a: 1 } })],
    ['array headers', json({ statusCode: 200, headers: ['a'] })],
    ['an object header value', json({ statusCode: 200, headers: { a: { b: 1 } } })],
    ['non-string cookies', json({ statusCode: 200, cookies: [1] })],
    ['a non-boolean isBase64Encoded', json({ statusCode: 200, body: 'x', isBase64Encoded: 'yes' })],
  ])('is malformed with %s', (_name, payload) => {
    expect(parseV2Response(payload).ok).toBe(false);
  });
});

describe('payload 1.0 response', () => {
  it('merges headers and multiValueHeaders, multiValueHeaders winning', () => {
    const parsed = parseV1Response(
      json({
        statusCode: 200,
        headers: { 'Content-Type': 'text/plain', 'Set-Cookie': 'lost=1' },
        multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
        body: 'hi',
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      response: {
        statusCode: 200,
        headers: [
          ['Content-Type', 'text/plain'],
          ['Set-Cookie', 'a=1'],
          ['Set-Cookie', 'b=2'],
        ],
        body: Buffer.from('hi'),
      },
    });
  });

  it('accepts a missing body and a numeric-string statusCode', () => {
    expect(parseV1Response(json({ statusCode: '204' }))).toEqual({
      ok: true,
      response: { statusCode: 204, headers: [], body: Buffer.alloc(0) },
    });
  });

  it.each([
    ['no statusCode (no inference in 1.0)', json({ message: 'hi' })],
    ['a bare string', json('hi')],
    ['non-array multiValueHeaders', json({ statusCode: 200, multiValueHeaders: { a: 'b' } })],
    ['a stringified-object body mistake', json({ statusCode: 200, body: { a: 1 } })],
  ])('is malformed with %s', (_name, payload) => {
    expect(parseV1Response(payload).ok).toBe(false);
  });
});

describe('outcome mapping', () => {
  const base = { requestId: 'r', logs: [], durationMs: 1 };
  const context = {
    flavour: 'http' as const,
    integrationTimeoutMs: 30_000,
    parse: parseV2Response,
  };
  const status = (outcome: InvocationOutcome, flavour: 'http' | 'rest' = 'http') => {
    const { response } = responseForOutcome(outcome, { ...context, flavour });
    return [response.statusCode, JSON.parse(response.body.toString())];
  };

  it.each<[string, InvocationOutcome, number, string]>([
    [
      'a malformed response',
      { ...base, kind: 'succeeded', body: Buffer.from('nope') },
      502,
      'Internal server error',
    ],
    [
      'a function error',
      { ...base, kind: 'function-error', errorType: 'Error', body: json({}) },
      502,
      'Internal server error',
    ],
    [
      'the function timing out on its own (Sandbox.Timedout)',
      { ...base, kind: 'timed-out', timeoutSeconds: 3 },
      502,
      'Internal server error',
    ],
    [
      'a crashed runtime',
      { ...base, kind: 'worker-exited', exitCode: 1 },
      502,
      'Internal server error',
    ],
    ['running out of memory', { ...base, kind: 'out-of-memory' }, 502, 'Internal server error'],
    [
      'a response over 6 MB',
      { ...base, kind: 'response-too-large', bytes: 7e6 },
      502,
      'Internal server error',
    ],
    ['throttling', { kind: 'throttled', requestId: 'r', logs: [] }, 429, 'Too Many Requests'],
    [
      'an unknown function (invocation rejected)',
      { kind: 'unknown-function', requestId: 'r', logs: [] },
      500,
      'Internal server error',
    ],
  ])('%s', (_name, outcome, code, message) => {
    expect(status(outcome)).toEqual([code, { message }]);
  });

  it('answers the integration timeout when the function may run longer than the gateway waits', () => {
    const outcome: InvocationOutcome = { ...base, kind: 'timed-out', timeoutSeconds: 60 };
    expect(status(outcome, 'http')).toEqual([503, { message: 'Service Unavailable' }]);
    expect(status(outcome, 'rest')).toEqual([504, { message: 'Endpoint request timed out' }]);
  });

  it('rejects a succeeded body over 6 MB', () => {
    const { response, problem } = responseForOutcome(
      { ...base, kind: 'succeeded', body: Buffer.alloc(6 * 1024 * 1024 + 1, 0x20) },
      context,
    );
    expect(response.statusCode).toBe(502);
    expect(problem).toMatch(/6 MB/);
  });
});
