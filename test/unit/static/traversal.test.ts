import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../../src/serve/static/server.js';
import { makeSite, rawRequest, SECRET, startSite, type SiteFixture } from './helpers.js';

describe('static site: path traversal and hidden files', () => {
  let site: SiteFixture;
  let server: StaticServer;
  let port: number;
  beforeAll(async () => {
    site = makeSite({
      'sub/.hidden': SECRET,
      '.git/config': SECRET,
      '.well-known/security.txt': 'Contact: x',
    });
    server = await startSite(site);
    port = server.port;
  });
  afterAll(async () => {
    await server.close();
    site.cleanup();
  });

  // Every one of these, sent byte for byte, must answer 400 (refused) and never a file outside the root.
  const refused = [
    '/../secret.txt',
    '/../../../../../../etc/passwd',
    '/assets/../../secret.txt',
    '/../site-private/secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2E%2E/etc/passwd',
    '/%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/..%2fsite-private%2fsecret.txt',
    '/assets/..\\..\\secret.txt',
    '/..%5csecret.txt',
    '/%5c..%5csecret.txt',
    '/index.html%00.js',
    '/%00',
    '/assets/app.js\0',
    '/%e0%a4%a', // malformed percent-encoding
    '/./index.html',
  ];
  it.each(refused)('refuses %j with 400', async (target) => {
    const res = await rawRequest(port, target);
    expect(res.status).toBe(400);
    expect(res.body).not.toContain(SECRET);
  });

  // Targets that are not traversal once decoded may be answered (404, or the SPA index), but never
  // with a file outside the root.
  const harmless = [
    '/%252e%252e/secret.txt', // double-encoded: a literal "%2e%2e" folder name
    '/....//secret.txt',
    '//secret.txt',
    '/site-private/secret.txt',
    'http://127.0.0.1/../secret.txt',
    '*',
  ];
  it.each(harmless)('never serves a file outside the root for %j', async (target) => {
    const res = await rawRequest(port, target);
    expect(res.body).not.toContain(SECRET);
    expect([200, 400, 404]).toContain(res.status);
    if (res.status === 200) expect(res.body).toContain('<title>app</title>');
  });

  it.each(['/.env', '/.git/config', '/sub/.hidden', '/%2eenv', '/.env?x=1', '/.git/', '/.git'])(
    'hides dotfile %j with a 404 (not the SPA fallback)',
    async (target) => {
      const res = await rawRequest(port, target);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toContain('<title>app</title>');
    },
  );

  it('serves /.well-known/ files (RFC 8615)', async () => {
    const res = await request(`${server.url}/.well-known/security.txt`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('Contact: x');
  });

  it('serves a file whose name needs percent-encoding', async () => {
    site.write('files/a b%.txt', 'spaced');
    const res = await request(`${server.url}/files/a%20b%25.txt`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('spaced');
  });

  it('accepts an encoded slash as a separator inside the root', async () => {
    const res = await rawRequest(port, '/assets%2fapp.js');
    expect(res.status).toBe(200);
    expect(res.body).toContain('console.log("app")');
  });
});
