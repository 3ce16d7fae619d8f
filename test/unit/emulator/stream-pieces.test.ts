/** The pure pieces of response streaming: the 200 MB cap and reading HttpResponseStream's prelude. */
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import {
  maxStreamedBytes,
  ResponseStream,
} from '../../../src/emulator/runtime-api/response-stream.js';
import { preludeHead, readHttpPrelude } from '../../../src/emulator/streaming/http-prelude.js';

describe('ResponseStream', () => {
  test('past 200 MB the stream ends as too large and drops the rest', async () => {
    const stream = new ResponseStream('application/octet-stream');
    stream.body.resume();
    const mb = Buffer.alloc(1024 * 1024);
    let accepted = 0;
    for (let i = 0; i < 202; i++) if (await stream.write(mb)) accepted++;
    expect(accepted).toBe(maxStreamedBytes / mb.length);
    expect(await stream.ended).toEqual({ kind: 'too-large', bytes: maxStreamedBytes + mb.length });
  });
});

describe('HttpResponseStream prelude', () => {
  const framed = (prelude: string, ...body: string[]) =>
    Readable.from([Buffer.from(prelude), Buffer.alloc(8), ...body.map((b) => Buffer.from(b))]);
  const contentType = 'application/vnd.awslambda.http-integration-response';

  test('the prelude JSON, then the body after the 8 NUL bytes, even when split across chunks', async () => {
    const body = Readable.from([
      Buffer.from('{"statusCode":2'),
      Buffer.from('02}\0\0\0'),
      Buffer.from('\0\0\0\0\0he'),
      Buffer.from('llo'),
    ]);
    const read = await readHttpPrelude(contentType, body);
    expect(read.kind).toBe('http');
    if (read.kind !== 'http') return;
    expect(read.prelude).toEqual({ statusCode: 202 });
    expect(Buffer.concat(await read.body.toArray()).toString()).toBe('hello');
  });

  test('another content type is all body', async () => {
    const read = await readHttpPrelude('text/plain', framed('{}', 'x'));
    expect(read.kind).toBe('raw');
  });

  test('a stream that ends before the delimiter, or a prelude that is not JSON, is malformed', async () => {
    expect((await readHttpPrelude(contentType, Readable.from([Buffer.from('{"a":1}')]))).kind).toBe(
      'malformed',
    );
    expect((await readHttpPrelude(contentType, framed('not json', 'x'))).kind).toBe('malformed');
  });

  test.each([
    [{}, { statusCode: 200, headers: [] }],
    [
      { statusCode: 302, headers: { Location: '/x' }, cookies: ['a=1', 'b=2'] },
      {
        statusCode: 302,
        headers: [
          ['Location', '/x'],
          ['set-cookie', 'a=1'],
          ['set-cookie', 'b=2'],
        ],
      },
    ],
    [
      { headers: { vary: 'a' }, multiValueHeaders: { Vary: ['b', 'c'] } },
      {
        statusCode: 200,
        headers: [
          ['Vary', 'b'],
          ['Vary', 'c'],
        ],
      },
    ],
  ])('prelude %j gives %j', (prelude, head) => {
    expect(preludeHead(prelude)).toEqual(head);
  });

  test.each([[[]], [{ statusCode: 99 }], [{ cookies: 'a=1' }], [{ headers: { a: {} } }]])(
    'prelude %j is malformed',
    (prelude) => {
      expect(typeof preludeHead(prelude)).toBe('string');
    },
  );
});
