import { rmSync, utimesSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { StaticServer } from '../../../src/serve/static/server.js';
import { useServedSite, type SiteFixture } from './helpers.js';

async function text(server: StaticServer, path: string, headers: Record<string, string> = {}) {
  const res = await request(`${server.url}${path}`, { headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  const encoding = res.headers['content-encoding'];
  return {
    status: res.statusCode,
    etag: res.headers.etag as string | undefined,
    text: (encoding === 'gzip' ? gunzipSync(body) : body).toString(),
  };
}

describe('static site: files changed on disk are served at once', () => {
  let site: SiteFixture;
  let server: StaticServer;
  useServedSite((s, srv) => ((site = s), (server = srv)));

  it('serves the new content after an edit of the same size, with a new ETag', async () => {
    site.write('assets/page.js', 'const version = "AAAA";');
    const before = await text(server, '/assets/page.js');
    expect(before.text).toContain('AAAA');
    const file = site.write('assets/page.js', 'const version = "BBBB";');
    // Same size; make sure the mtime moves even on a coarse-grained file system.
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    const after = await text(server, '/assets/page.js');
    expect(after.text).toContain('BBBB');
    expect(after.etag).not.toBe(before.etag);
    // The old ETag no longer gives a 304.
    const revalidated = await request(`${server.url}/assets/page.js`, {
      headers: { 'if-none-match': before.etag! },
    });
    expect(revalidated.statusCode).toBe(200);
    await revalidated.body.dump();
  });

  it('serves fresh compressed content after an edit (the compressed copy is not stale)', async () => {
    const v1 = `/* v1 */\n${'let a = 1;\n'.repeat(300)}`;
    const v2 = `/* v2 */\n${'let b = 2;\n'.repeat(400)}`;
    site.write('assets/bundle.js', v1);
    expect((await text(server, '/assets/bundle.js', { 'accept-encoding': 'gzip' })).text).toBe(v1);
    site.write('assets/bundle.js', v2);
    expect((await text(server, '/assets/bundle.js', { 'accept-encoding': 'gzip' })).text).toBe(v2);
    expect((await text(server, '/assets/bundle.js')).text).toBe(v2);
  });

  it('serves a file that appears after start, and 404s one that was deleted', async () => {
    expect((await text(server, '/assets/late.js')).status).toBe(404);
    site.write('assets/late.js', 'late');
    expect((await text(server, '/assets/late.js')).text).toBe('late');
    rmSync(`${site.root}/assets/late.js`);
    expect((await text(server, '/assets/late.js')).status).toBe(404);
  });

  it('follows a rebuilt index.html for the SPA fallback', async () => {
    site.write('index.html', '<!doctype html><title>rebuilt</title>');
    expect((await text(server, '/some/route')).text).toContain('rebuilt');
  });
});
