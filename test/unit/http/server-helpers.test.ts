/** The HTTP helpers every lbuild server listens, closes and reads bodies with. */
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/errors.js';
import { closeServer } from '../../../src/http/close.js';
import { listen } from '../../../src/http/listen.js';
import { readBody, type BodyResult } from '../../../src/http/read-body.js';
import { httpUrl, reachableHost } from '../../../src/http/url.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server);
});
function track(server: Server): Server {
  servers.push(server);
  return server;
}

describe('listen', () => {
  it('resolves to the bound port when 0 is asked for', async () => {
    const port = await listen(track(createServer()), '127.0.0.1', 0, { what: 'test server' });
    expect(port).toBeGreaterThan(0);
  });

  it('turns a busy port into an EnvironmentError naming the port, the server and the fix', async () => {
    const port = await listen(track(createServer()), '127.0.0.1', 0, { what: 'first server' });
    const error = await listen(track(createServer()), '127.0.0.1', port, {
      what: 'second server',
      portSetting: '--second-port',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    const failure = error as EnvironmentError;
    expect(failure.exitCode).toBe(2);
    expect(failure.message).toBe(
      `port ${port} is in use by another process: stop it or set --second-port`,
    );
    expect(failure.hint).toContain(`lsof -i :${port}`);
    expect(failure.hint).toContain(`the second server wanted 127.0.0.1:${port}`);
    expect(failure.details).toMatchObject({ port, host: '127.0.0.1', code: 'EADDRINUSE' });
  });
});

describe('httpUrl', () => {
  it('brackets IPv6 hosts and shows wildcard binds as loopback when asked', () => {
    expect(httpUrl('127.0.0.1', 80)).toBe('http://127.0.0.1:80');
    expect(httpUrl('::1', 80)).toBe('http://[::1]:80');
    expect(httpUrl(reachableHost('0.0.0.0'), 80)).toBe('http://127.0.0.1:80');
    expect(reachableHost('::')).toBe('127.0.0.1');
  });
});

describe('readBody and closeServer', () => {
  async function post(body: string, limit: number): Promise<BodyResult> {
    let result: Promise<BodyResult> | undefined;
    const server = track(
      createServer((req, res) => {
        result = readBody(req, limit);
        void result.then(() => res.end('done'));
      }),
    );
    const port = await listen(server, '127.0.0.1', 0, { what: 'test server' });
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST' });
    req.end(body);
    const [res] = (await once(req, 'response')) as [NodeJS.ReadableStream];
    res.resume();
    await once(res, 'end');
    return result!;
  }

  it('keeps a body within the limit and counts one over it', async () => {
    const kept = await post('hello', 5);
    expect(kept.ok && kept.body.toString()).toBe('hello');
    expect(await post('hello!', 5)).toEqual({ ok: false, bytes: 6 });
  });

  it('closes even with a keep-alive connection open, and twice without complaint', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    const port = await listen(server, '127.0.0.1', 0, { what: 'test server' });
    const response = await fetch(httpUrl('127.0.0.1', port));
    await response.text();
    await closeServer(server);
    await closeServer(server);
    await expect(fetch(httpUrl('127.0.0.1', port))).rejects.toThrow();
  });
});
