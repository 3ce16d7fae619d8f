/**
 * Generated hostile HTTP/1.1 requests (fast-check arbitraries): each family targets one way a
 * request can be malformed. A case is the raw bytes plus whether HTTP requires a refusal
 * (`mustRefuse`: a 4xx/5xx or a closed connection) or merely allows any well-formed answer
 * (odd but legal input, such as an unusual path, may reach the function).
 */
import fc from 'fast-check';

export interface FuzzCase {
  family: string;
  bytes: Buffer;
  mustRefuse: boolean;
}

const crlf = '\r\n';
const token = fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/);
/** Bytes that never belong in a request line or header: controls, DEL, high bytes. */
const badByte = fc.constantFrom(0x00, 0x01, 0x07, 0x0b, 0x0c, 0x7f, 0x80, 0xc3, 0xff, 0x0d, 0x0a);

function request(lines: Array<string | Buffer>, body: Buffer | string = ''): Buffer {
  const head = lines.map((line) => (typeof line === 'string' ? Buffer.from(line, 'latin1') : line));
  const parts: Buffer[] = [];
  for (const line of head) parts.push(line, Buffer.from(crlf));
  parts.push(Buffer.from(crlf), typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
  return Buffer.concat(parts);
}

/** A request line that HTTP/1.1 cannot parse: bad method, bad version, missing parts, control bytes. */
const brokenRequestLine = fc
  .oneof(
    fc
      .tuple(
        token,
        fc.constantFrom('HTTP/2.0', 'HTTP/1.2', 'HTTP/1', 'HTTX/1.1', '', 'HTTP/1.1 extra'),
      )
      .map(([method, version]) => `${method.toUpperCase()} /path ${version}`.trimEnd()),
    fc.constantFrom(
      'GET',
      'GET /',
      ' / HTTP/1.1',
      'GET  / HTTP/1.1',
      'G(T / HTTP/1.1',
      '/ GET HTTP/1.1',
    ),
    fc
      .tuple(fc.array(badByte, { minLength: 1, maxLength: 4 }), fc.nat({ max: 10 }))
      .map(([bytes, at]) => {
        const line = Buffer.from('GET /fuzz HTTP/1.1', 'latin1');
        const cut = Math.min(at, line.length);
        return Buffer.concat([line.subarray(0, cut), Buffer.from(bytes), line.subarray(cut)]);
      }),
  )
  .map((line): FuzzCase => ({
    family: 'request line',
    bytes: request([line, 'Host: x']),
    // A request line that is broken only by an added CR/LF may parse as a shorter valid one.
    mustRefuse: !(Buffer.isBuffer(line) && (line.includes(0x0a) || line.includes(0x0d))),
  }));

/** A header whose name or value smuggles a line break or a control byte. */
const injectedHeader = fc
  .tuple(
    token,
    fc.constantFrom('\r', '\n', '\r\n ', '\0', '\x7f', '\r\nX-Injected: 1'),
    fc.boolean(),
  )
  .map(([name, injection, inName]): FuzzCase => {
    const header = inName ? `X-${name}${injection}: v` : `X-${name}: a${injection}b`;
    return {
      family: 'CR/LF injection',
      bytes: request(['GET /fuzz HTTP/1.1', 'Host: x', header]),
      // "\r\nX-Injected: 1" in a value is just another (valid) header once split; obs-fold is refused.
      mustRefuse: injection !== '\r\nX-Injected: 1',
    };
  });

/** Past Node's 16 KB header limit: one huge header, or very many, or a huge URL. */
const oversized = fc
  .oneof(
    fc
      .integer({ min: 17_000, max: 40_000 })
      .map((n) => request(['GET /fuzz HTTP/1.1', 'Host: x', `X-Big: ${'a'.repeat(n)}`])),
    fc
      .integer({ min: 800, max: 2000 })
      .map((n) =>
        request([
          'GET /fuzz HTTP/1.1',
          'Host: x',
          ...Array.from({ length: n }, (_, i) => `X-H${i}: ${'v'.repeat(20)}`),
        ]),
      ),
    fc
      .integer({ min: 17_000, max: 120_000 })
      .map((n) => request([`GET /${'u'.repeat(n)} HTTP/1.1`, 'Host: x'])),
  )
  .map((bytes): FuzzCase => ({ family: 'oversized head', bytes, mustRefuse: true }));

/** A chunked body that breaks the chunk grammar. */
const badChunked = fc
  .constantFrom(
    'zz\r\nabc\r\n0\r\n\r\n',
    '3\r\nabcdef\r\n0\r\n\r\n',
    '-1\r\nabc\r\n0\r\n\r\n',
    'ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n',
    '3\nabc\n0\n\n',
    '3;ext="\r\nabc\r\n0\r\n\r\n',
    '3\r\nabc0\r\n\r\n',
  )
  .map((body): FuzzCase => ({
    family: 'invalid chunked body',
    bytes: request(['POST /fuzz HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked'], body),
    mustRefuse: true,
  }));

/** Framing that a proxy and a server could read differently (request smuggling). */
const conflictingLength = fc
  .constantFrom(
    ['Content-Length: 3', 'Transfer-Encoding: chunked'],
    ['Transfer-Encoding: chunked', 'Content-Length: 3'],
    ['Content-Length: 3', 'Content-Length: 5'],
    ['Content-Length: -3'],
    ['Content-Length: 3x'],
    ['Content-Length: 99999999999999999999'],
    ['Transfer-Encoding: gzip, chunked', 'Transfer-Encoding: identity'],
    ['Transfer-Encoding: chunked, gzip'],
    ['Transfer-Encoding : chunked'],
  )
  .map((headers): FuzzCase => ({
    family: 'Content-Length + Transfer-Encoding',
    bytes: request(['POST /fuzz HTTP/1.1', 'Host: x', ...headers], '3\r\nabc\r\n0\r\n\r\n'),
    mustRefuse: true,
  }));

/** Invalid UTF-8 and broken percent-encoding in the path and query: legal bytes, odd meaning. */
const oddEncoding = fc
  .tuple(
    fc.constantFrom(
      '%zz',
      '%',
      '%C3%28',
      '%E2%82',
      '%F0%28%8C%BC',
      '%00',
      '%2e%2e/%2e%2e/etc/passwd',
      '..%2f..%2f',
      '%25%32%65',
    ),
    fc.constantFrom('path', 'query'),
  )
  .map(([piece, where]): FuzzCase => ({
    family: 'invalid UTF-8 / percent-encoding',
    bytes: request([
      where === 'path' ? `GET /fuzz/${piece} HTTP/1.1` : `GET /fuzz?q=${piece}&${piece}=1 HTTP/1.1`,
      'Host: x',
    ]),
    mustRefuse: false,
  }));

/** Raw high bytes in the target (not percent-encoded): llhttp refuses them in strict mode. */
const rawHighBytes = fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes): FuzzCase => ({
  family: 'raw bytes in target',
  bytes: request([
    Buffer.concat([
      Buffer.from('GET /fuzz/'),
      Buffer.from(bytes.map((b) => (b < 0x80 ? b | 0x80 : b))),
      Buffer.from(' HTTP/1.1'),
    ]),
    'Host: x',
  ]),
  mustRefuse: false,
}));

/** Every family, weighted so each shows up in a few dozen cases. */
export const hostileRequest: fc.Arbitrary<FuzzCase> = fc.oneof(
  brokenRequestLine,
  injectedHeader,
  oversized,
  badChunked,
  conflictingLength,
  oddEncoding,
  rawHighBytes,
);

/** A JSON body nested `depth` levels deep: arrays inside arrays (what blows recursive parsers). */
export function deeplyNestedJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** A POST with a body of exactly `size` bytes (Content-Length framed). */
export function postOfSize(path: string, size: number, contentType = 'application/json'): Buffer {
  return Buffer.concat([
    Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`,
    ),
    Buffer.alloc(size, 0x61),
  ]);
}
