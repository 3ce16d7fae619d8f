/** Shared fixtures for the static-site tests: a throwaway site on disk and a real server on port 0. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startStaticServer, type StaticServer } from '../../../src/serve/static/server.js';
import type { StaticSiteOptions } from '../../../src/serve/static/options.js';

export const SECRET = 'TOP-SECRET-OUTSIDE-ROOT';

export interface SiteFixture {
  /** Parent folder: holds `site/` (the root) plus secrets outside it. */
  dir: string;
  root: string;
  write(key: string, content: string | Buffer): string;
  cleanup(): void;
}

/**
 * A frontend build folder with the usual files, and decoys OUTSIDE the root: ../secret.txt and a
 * sibling folder whose name starts with the root's name (../site-private/), the classic
 * prefix-check bypass.
 */
export function makeSite(files: Record<string, string | Buffer> = {}): SiteFixture {
  const dir = mkdtempSync(path.join(tmpdir(), 'lbuild-static-'));
  const root = path.join(dir, 'site');
  const write = (key: string, content: string | Buffer) => {
    const file = path.join(root, ...key.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  };
  mkdirSync(root);
  writeFileSync(path.join(dir, 'secret.txt'), SECRET);
  mkdirSync(path.join(dir, 'site-private'));
  writeFileSync(path.join(dir, 'site-private', 'secret.txt'), SECRET);
  const defaults: Record<string, string | Buffer> = {
    'index.html': `<!doctype html><title>app</title><div id="root"></div>${'<!-- padding -->'.repeat(80)}`,
    'assets/app.js': `console.log("app");\n${'export const x = 1;\n'.repeat(400)}`,
    'assets/app.css': `body { color: red; }\n${'.a { margin: 0 }\n'.repeat(100)}`,
    'docs/index.html': '<!doctype html><title>docs</title>',
    '404.html': '<!doctype html><title>not found</title><h1>custom 404</h1>',
    '.env': `SECRET=${SECRET}`,
  };
  for (const [key, content] of Object.entries({ ...defaults, ...files })) write(key, content);
  return { dir, root, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startSite(
  site: SiteFixture,
  options: Partial<StaticSiteOptions> = {},
): Promise<StaticServer> {
  return startStaticServer({ root: site.root, host: '127.0.0.1', port: 0, ...options });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends the request target byte for byte (no URL normalisation by a client library), so "..",
 * backslashes and NUL bytes reach the server as an attacker would send them.
 */
export function rawRequest(port: number, target: string, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        Buffer.from(
          `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
          'latin1',
        ),
      );
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

/** A site and its server for the enclosing describe block: made before its tests, removed after. */
export function useServedSite(
  assign: (site: SiteFixture, server: StaticServer) => void,
  files: Record<string, string | Buffer> = {},
  options: Partial<StaticSiteOptions> = {},
): void {
  let site: SiteFixture | undefined;
  let server: StaticServer | undefined;
  beforeAll(async () => {
    site = makeSite(files);
    server = await startSite(site, options);
    assign(site, server);
  });
  afterAll(async () => {
    await server?.close();
    site?.cleanup();
  });
}
