import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { StaticServer } from '../../../src/serve/static/server.js';
import { startSite, useServedSite, type SiteFixture } from './helpers.js';

async function get(
  server: StaticServer,
  path: string,
  headers: Record<string, string> = {},
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS' | 'PATCH' = 'GET',
) {
  const res = await request(`${server.url}${path}`, { method, headers });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

describe('static site: index documents and SPA fallback (spa: true, the default)', () => {
  let site: SiteFixture;
  let server: StaticServer;
  useServedSite((s, srv) => ((site = s), (server = srv)));

  it('serves index.html for / and for a directory with a trailing slash', async () => {
    const root = await get(server, '/');
    expect(root.status).toBe(200);
    expect(root.body).toContain('<title>app</title>');
    const docs = await get(server, '/docs/');
    expect(docs.status).toBe(200);
    expect(docs.body).toContain('<title>docs</title>');
  });

  it('redirects a directory without its slash, like an S3 website endpoint, keeping the query', async () => {
    const res = await get(server, '/docs?tab=2');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/docs/?tab=2');
  });

  it('answers a deep link without a file extension with /index.html and 200', async () => {
    for (const path of ['/users/42', '/users/42/settings', '/checkout?step=2', '/a/b/c/']) {
      const res = await get(server, path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<title>app</title>');
    }
  });

  it('answers a deep link with a dot in it when the browser asks for HTML (a navigation)', async () => {
    const res = await get(server, '/users/jane.doe', {
      accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>app</title>');
  });

  it('answers 404 for a missing asset, never index.html (HTML for a missing JS file is the classic bug)', async () => {
    for (const path of [
      '/assets/missing.js',
      '/assets/app.1234.css',
      '/favicon.ico',
      '/users/jane.doe',
    ]) {
      const res = await get(server, path, { accept: '*/*' });
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('<title>app</title>');
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('does the fallback for HEAD too, without a body', async () => {
    const res = await get(server, '/users/42', {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
  });

  it('never lists a directory', async () => {
    site.write('empty-dir/file.bin', 'x');
    const res = await get(server, '/empty-dir/', { accept: '*/*' });
    // No index.html there: the SPA fallback answers (a route), not a listing.
    expect(res.body).not.toContain('file.bin');
    expect(res.body).toContain('<title>app</title>');
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'] as const)(
    'refuses %s with 405 and Allow: GET, HEAD',
    async (method) => {
      const res = await get(server, '/index.html', {}, method);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    },
  );
});

describe('static site: spa: false with an error document (S3 website semantics)', () => {
  let site: SiteFixture;
  let server: StaticServer;
  useServedSite(
    (s, srv) => ((site = s), (server = srv)),
    {},
    { spa: false, errorDocument: '404.html' },
  );

  it('answers a deep link with 404 and the error document', async () => {
    const res = await get(server, '/users/42', { accept: 'text/html' });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('custom 404');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers a missing asset with 404 and the error document too', async () => {
    const res = await get(server, '/assets/missing.js');
    expect(res.status).toBe(404);
    expect(res.body).toContain('custom 404');
  });

  it('still serves index documents', async () => {
    expect((await get(server, '/')).status).toBe(200);
    expect((await get(server, '/docs/')).body).toContain('<title>docs</title>');
  });

  it('answers a plain 404 when the error document itself is missing', async () => {
    const other = await startSite(site, { spa: false, errorDocument: 'nope.html' });
    try {
      const res = await get(other, '/users/42');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    } finally {
      await other.close();
    }
  });
});
