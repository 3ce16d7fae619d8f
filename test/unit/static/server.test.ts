import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvironmentError, UserError } from '../../../src/errors.js';
import { createStaticHandler } from '../../../src/serve/static/handler.js';
import { startStaticServer } from '../../../src/serve/static/server.js';
import { makeSite, type SiteFixture } from './helpers.js';

describe('startStaticServer', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  function site(): SiteFixture {
    const fixture = makeSite();
    cleanups.push(() => fixture.cleanup());
    return fixture;
  }

  it('binds 127.0.0.1 by default and reports the real port and URL', async () => {
    const server = await startStaticServer({ root: site().root, port: 0 });
    cleanups.push(() => server.close());
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await request(`${server.url}/`);
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });

  it('gives an EnvironmentError naming the port and the fix when the port is busy', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as AddressInfo).port;

    const error = await startStaticServer({ root: site().root, port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    const failure = error as EnvironmentError;
    expect(failure.exitCode).toBe(2);
    expect(failure.message).toBe(
      `port ${port} is in use by another process: stop it or set frontend.port / --static-port`,
    );
    expect(failure.hint).toContain(`lsof -i :${port}`);
    expect(failure.details).toMatchObject({ port, host: '127.0.0.1', code: 'EADDRINUSE' });
  });

  it('gives a UserError when the frontend folder does not exist', async () => {
    const fixture = site();
    const error = await startStaticServer({ root: `${fixture.root}/nope`, port: 0 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('does not exist');
    expect((error as UserError).hint).toContain('Build the frontend first');
  });

  it('rejects an error document outside the root', async () => {
    const error = await startStaticServer({
      root: site().root,
      port: 0,
      errorDocument: '../secret.txt',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
  });

  it('stops listening on close, even with a keep-alive connection open', async () => {
    const server = await startStaticServer({ root: site().root, port: 0 });
    const res = await request(`${server.url}/`);
    await res.body.dump();
    await server.close();
    await expect(request(`${server.url}/`)).rejects.toThrow();
  });
});

describe('createStaticHandler inside another HTTP server', () => {
  let server: Server | undefined;
  let fixture: SiteFixture | undefined;
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    fixture?.cleanup();
  });

  it('serves the site under a prefix handled by the host server', async () => {
    fixture = makeSite();
    const handler = createStaticHandler({ root: fixture.root });
    server = createServer((req, res) => {
      if (req.url?.startsWith('/api/')) {
        res.end('api');
        return;
      }
      void handler(req, res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const api = await request(`${base}/api/x`);
    expect(await api.body.text()).toBe('api');
    const page = await request(`${base}/users/1`);
    expect(page.statusCode).toBe(200);
    expect(await page.body.text()).toContain('<title>app</title>');
  });
});
