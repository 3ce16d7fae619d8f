import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../../src/serve/static/server.js';
import { makeSite, startSite, type SiteFixture } from './helpers.js';

type Method = 'GET' | 'HEAD';

async function fetchRaw(
  server: StaticServer,
  path: string,
  headers: Record<string, string> = {},
  method: Method = 'GET',
) {
  const res = await request(`${server.url}${path}`, { method, headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  const header = (name: string) => {
    const value = res.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return { status: res.statusCode, header, body };
}

const pngBytes = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(4000, 7),
]);
const bigJs = Array.from(
  { length: 3000 },
  (_, i) => `export const value${i} = ${i * 7} + "${i.toString(36)}";`,
).join('\n');

describe('static site: HTTP semantics', () => {
  let site: SiteFixture;
  let server: StaticServer;
  beforeAll(async () => {
    site = makeSite({
      'assets/big.js': bigJs,
      'assets/mod.mjs': 'export default 1;',
      'assets/chunk.cjs': 'module.exports = 1;',
      'assets/app.js.map': '{"version":3}',
      'assets/logo.svg': `<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(400)}</svg>`,
      'assets/app.wasm': Buffer.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
      'assets/logo.png': pngBytes,
      'assets/font.woff2': Buffer.from('wOF2fake'),
      'data.json': '{"ok":true}',
      'robots.txt': 'User-agent: *',
      'blob.unknownext': 'x',
      'tiny.js': 'x=1',
      'range.txt': '0123456789abcdefghij',
      'index.html': `<!doctype html><title>app</title>${'<p>padding</p>'.repeat(100)}`,
    });
    server = await startSite(site, {
      cacheControl: {
        'index.html': 'no-cache, must-revalidate',
        'assets/**/*.js': 'public, max-age=31536000, immutable',
        'assets/**': 'public, max-age=3600',
        '*.json': 'public, max-age=60',
      },
    });
  });
  afterAll(async () => {
    await server.close();
    site.cleanup();
  });

  describe('content types', () => {
    it.each([
      ['/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/assets/mod.mjs', 'text/javascript; charset=utf-8'],
      ['/assets/chunk.cjs', 'text/javascript; charset=utf-8'],
      ['/assets/app.css', 'text/css; charset=utf-8'],
      ['/index.html', 'text/html; charset=utf-8'],
      ['/data.json', 'application/json; charset=utf-8'],
      ['/assets/app.js.map', 'application/json; charset=utf-8'],
      ['/assets/logo.svg', 'image/svg+xml'],
      ['/assets/app.wasm', 'application/wasm'],
      ['/assets/logo.png', 'image/png'],
      ['/assets/font.woff2', 'font/woff2'],
      ['/robots.txt', 'text/plain; charset=utf-8'],
      ['/blob.unknownext', 'application/octet-stream'],
    ])('%s is %s', async (path, type) => {
      const res = await fetchRaw(server, path);
      expect(res.status).toBe(200);
      expect(res.header('content-type')).toBe(type);
    });
  });

  describe('validators and conditional requests', () => {
    it('sends a weak ETag and Last-Modified', async () => {
      const res = await fetchRaw(server, '/assets/app.js');
      expect(res.header('etag')).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
      expect(new Date(res.header('last-modified')!).getTime()).toBeGreaterThan(0);
    });

    it('answers 304 to a matching If-None-Match (also in a list, also for a compressed response)', async () => {
      const { header } = await fetchRaw(server, '/assets/app.js');
      const etag = header('etag')!;
      const cases: Record<string, string>[] = [
        { 'if-none-match': etag },
        { 'if-none-match': `W/"other", ${etag}` },
        { 'if-none-match': etag, 'accept-encoding': 'gzip, br' },
        { 'if-none-match': '*' },
      ];
      for (const headers of cases) {
        const res = await fetchRaw(server, '/assets/app.js', headers);
        expect(res.status, JSON.stringify(headers)).toBe(304);
        expect(res.body.length).toBe(0);
        expect(res.header('etag')).toBe(etag);
        expect(res.header('cache-control')).toBe('public, max-age=31536000, immutable');
      }
    });

    it('answers 200 to a stale If-None-Match', async () => {
      const res = await fetchRaw(server, '/assets/app.js', { 'if-none-match': 'W/"1-1"' });
      expect(res.status).toBe(200);
    });

    it('answers 304 to If-Modified-Since at or after Last-Modified, 200 before it', async () => {
      const { header } = await fetchRaw(server, '/index.html');
      const lastModified = header('last-modified')!;
      expect(
        (await fetchRaw(server, '/index.html', { 'if-modified-since': lastModified })).status,
      ).toBe(304);
      const later = new Date(Date.parse(lastModified) + 60_000).toUTCString();
      expect((await fetchRaw(server, '/index.html', { 'if-modified-since': later })).status).toBe(
        304,
      );
      const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
      expect((await fetchRaw(server, '/index.html', { 'if-modified-since': earlier })).status).toBe(
        200,
      );
    });

    it('answers 412 to a failed If-Match', async () => {
      const res = await fetchRaw(server, '/assets/app.js', { 'if-match': '"nope"' });
      expect(res.status).toBe(412);
    });
  });

  describe('ranges', () => {
    it('answers a byte range with 206 and Content-Range', async () => {
      const res = await fetchRaw(server, '/range.txt', { range: 'bytes=2-5' });
      expect(res.status).toBe(206);
      expect(res.header('content-range')).toBe('bytes 2-5/20');
      expect(res.header('content-length')).toBe('4');
      expect(res.body.toString()).toBe('2345');
    });

    it('answers suffix and open-ended ranges', async () => {
      const suffix = await fetchRaw(server, '/range.txt', { range: 'bytes=-3' });
      expect(suffix.status).toBe(206);
      expect(suffix.header('content-range')).toBe('bytes 17-19/20');
      expect(suffix.body.toString()).toBe('hij');
      const open = await fetchRaw(server, '/range.txt', { range: 'bytes=18-' });
      expect(open.body.toString()).toBe('ij');
    });

    it('answers an unsatisfiable range with 416 and Content-Range: bytes */size', async () => {
      const res = await fetchRaw(server, '/range.txt', { range: 'bytes=50-60' });
      expect(res.status).toBe(416);
      expect(res.header('content-range')).toBe('bytes */20');
    });

    it('serves a range from the identity bytes even when the client accepts gzip', async () => {
      const res = await fetchRaw(server, '/assets/big.js', {
        range: 'bytes=0-9',
        'accept-encoding': 'gzip, br',
      });
      expect(res.status).toBe(206);
      expect(res.header('content-encoding')).toBeUndefined();
      expect(res.body.toString()).toBe(bigJs.slice(0, 10));
    });

    it('ignores a stale If-Range and sends the whole file', async () => {
      const res = await fetchRaw(server, '/range.txt', {
        range: 'bytes=0-1',
        'if-range': 'W/"stale"',
      });
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe('0123456789abcdefghij');
    });
  });

  describe('compression', () => {
    it('gzips a compressible response when asked, with Vary: Accept-Encoding', async () => {
      const res = await fetchRaw(server, '/assets/big.js', { 'accept-encoding': 'gzip' });
      expect(res.header('content-encoding')).toBe('gzip');
      expect(res.header('vary')).toBe('Accept-Encoding');
      expect(Number(res.header('content-length'))).toBe(res.body.length);
      expect(res.body.length).toBeLessThan(bigJs.length / 2);
      expect(gunzipSync(res.body).toString()).toBe(bigJs);
    });

    it('prefers br when both are accepted, as CloudFront does', async () => {
      const res = await fetchRaw(server, '/assets/big.js', {
        'accept-encoding': 'gzip, deflate, br',
      });
      expect(res.header('content-encoding')).toBe('br');
      expect(brotliDecompressSync(res.body).toString()).toBe(bigJs);
    });

    it('honours q-values: q=0 refuses a coding, a higher q wins', async () => {
      expect(
        (await fetchRaw(server, '/assets/big.js', { 'accept-encoding': 'br;q=0, gzip' })).header(
          'content-encoding',
        ),
      ).toBe('gzip');
      expect(
        (
          await fetchRaw(server, '/assets/big.js', { 'accept-encoding': 'br;q=0.5, gzip;q=0.9' })
        ).header('content-encoding'),
      ).toBe('gzip');
      const none = await fetchRaw(server, '/assets/big.js', {
        'accept-encoding': 'gzip;q=0, br;q=0',
      });
      expect(none.header('content-encoding')).toBeUndefined();
      expect(none.body.toString()).toBe(bigJs);
    });

    it('sends identity without Accept-Encoding, still with Vary', async () => {
      const res = await fetchRaw(server, '/assets/big.js');
      expect(res.header('content-encoding')).toBeUndefined();
      expect(res.header('vary')).toBe('Accept-Encoding');
      expect(res.body.toString()).toBe(bigJs);
    });

    it('does not compress images, or files under 1,000 bytes', async () => {
      const png = await fetchRaw(server, '/assets/logo.png', { 'accept-encoding': 'gzip, br' });
      expect(png.header('content-encoding')).toBeUndefined();
      expect(png.header('vary')).toBeUndefined();
      expect(png.body.equals(pngBytes)).toBe(true);
      const tiny = await fetchRaw(server, '/tiny.js', { 'accept-encoding': 'gzip, br' });
      expect(tiny.header('content-encoding')).toBeUndefined();
      expect(tiny.body.toString()).toBe('x=1');
    });

    it('compresses SVG and HTML', async () => {
      const svg = await fetchRaw(server, '/assets/logo.svg', { 'accept-encoding': 'gzip' });
      expect(svg.header('content-encoding')).toBe('gzip');
      const html = await fetchRaw(server, '/users/42', { 'accept-encoding': 'br' });
      expect(html.header('content-encoding')).toBe('br');
      expect(brotliDecompressSync(html.body).toString()).toContain('<title>app</title>');
    });

    it('answers HEAD with the compressed length and no body', async () => {
      const get = await fetchRaw(server, '/assets/big.js', { 'accept-encoding': 'gzip' });
      const head = await fetchRaw(server, '/assets/big.js', { 'accept-encoding': 'gzip' }, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      expect(head.header('content-length')).toBe(String(get.body.length));
    });
  });

  describe('large files (over 10 MB: streamed by send, never compressed)', () => {
    it('streams the whole file, honours ranges and skips compression', async () => {
      const big = Buffer.alloc(10_500_000, 'a');
      big.write('END', big.length - 3);
      site.write('assets/huge.js', big);
      const res = await fetchRaw(server, '/assets/huge.js', { 'accept-encoding': 'gzip, br' });
      expect(res.status).toBe(200);
      expect(res.header('content-encoding')).toBeUndefined();
      expect(res.header('accept-ranges')).toBe('bytes');
      expect(res.header('etag')).toMatch(/^W\//);
      expect(res.header('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.body.length).toBe(big.length);
      expect(res.body.subarray(-3).toString()).toBe('END');
      const tail = await fetchRaw(server, '/assets/huge.js', { range: 'bytes=-3' });
      expect(tail.status).toBe(206);
      expect(tail.body.toString()).toBe('END');
      const revalidated = await fetchRaw(server, '/assets/huge.js', {
        'if-none-match': res.header('etag')!,
      });
      expect(revalidated.status).toBe(304);
    });
  });

  describe('cache headers', () => {
    it.each([
      ['/index.html', 'no-cache, must-revalidate'],
      ['/users/42', 'no-cache, must-revalidate'], // the SPA fallback is index.html
      ['/assets/app.js', 'public, max-age=31536000, immutable'],
      ['/assets/app.css', 'public, max-age=3600'],
      ['/data.json', 'public, max-age=60'],
      ['/docs/index.html', 'no-cache, must-revalidate'], // "index.html" has no slash: matches at any depth
      ['/robots.txt', 'public, max-age=0, must-revalidate'], // default for non-HTML
      ['/assets/missing.js', 'no-store'], // errors
    ])('%s → %s', async (path, expected) => {
      expect((await fetchRaw(server, path)).header('cache-control')).toBe(expected);
    });

    it('defaults HTML to no-cache when no rule matches', async () => {
      const plain = await startSite(site);
      try {
        expect((await fetchRaw(plain, '/')).header('cache-control')).toBe('no-cache');
        expect((await fetchRaw(plain, '/assets/app.js')).header('cache-control')).toBe(
          'public, max-age=0, must-revalidate',
        );
      } finally {
        await plain.close();
      }
    });
  });
});
