import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, UserError } from '../../../src/errors.js';
import { BodyCache } from '../../../src/serve/static/body-cache.js';
import { compileCacheControl } from '../../../src/serve/static/cache-control.js';
import { negotiateEncoding } from '../../../src/serve/static/compression.js';
import { parseStaticMainArgs } from '../../../src/serve/static/main.js';
import { isCompressible } from '../../../src/serve/static/media-type.js';
import { parseStaticSiteOptions } from '../../../src/serve/static/options.js';
import { fileForKey, resolveTarget } from '../../../src/serve/static/resolve-path.js';

describe('resolveTarget', () => {
  it.each([
    ['/', { kind: 'key', key: '', directory: true }],
    ['/index.html?v=1#x', { kind: 'key', key: 'index.html', directory: false }],
    ['/docs/', { kind: 'key', key: 'docs', directory: true }],
    ['//a///b', { kind: 'key', key: 'a/b', directory: false }],
    ['/a%20b/c%2Fd', { kind: 'key', key: 'a b/c/d', directory: false }],
    ['http://example.test/x/y?q', { kind: 'key', key: 'x/y', directory: false }],
    [
      '/.well-known/assetlinks.json',
      { kind: 'key', key: '.well-known/assetlinks.json', directory: false },
    ],
    ['/.env', { kind: 'hidden' }],
    ['/a/.git/config', { kind: 'hidden' }],
    ['/a/.well-known/x', { kind: 'hidden' }],
  ])('%j → %j', (target, expected) => {
    expect(resolveTarget(target)).toEqual(expected);
  });

  it.each(['/..', '/a/../b', '/%2e%2e/x', '/.%2e/x', '/a%5cb', '/a\\b', '/a%00', '/%zz', '*', 'x'])(
    'refuses %j',
    (target) => {
      expect(resolveTarget(target).kind).toBe('bad-request');
    },
  );

  it('keeps fileForKey inside the root', () => {
    expect(fileForKey('/srv/site', 'a/b.js')).toBe('/srv/site/a/b.js');
    expect(fileForKey('/srv/site', '')).toBe('/srv/site');
    expect(fileForKey('/srv/site', '../site-private/x')).toBeUndefined();
    expect(fileForKey('/srv/site', '../../etc/passwd')).toBeUndefined();
  });
});

describe('negotiateEncoding', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0.1, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0', undefined],
    ['gzip;q=0, *', 'br'],
    ['deflate', undefined],
  ])('%j → %j', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});

describe('compileCacheControl', () => {
  const cacheControl = compileCacheControl({
    'index.html': 'no-cache',
    '/assets/**': 'public, max-age=31536000, immutable',
    '*.map': 'private',
  });
  it.each([
    ['index.html', 'text/html', 'no-cache'],
    ['docs/index.html', 'text/html', 'no-cache'],
    ['assets/app.js', 'text/javascript', 'public, max-age=31536000, immutable'],
    ['assets/deep/chunk.js.map', 'application/json', 'public, max-age=31536000, immutable'], // first match wins
    ['app.js.map', 'application/json', 'private'],
    ['about.html', 'text/html; charset=utf-8', 'no-cache'],
    ['robots.txt', 'text/plain', 'public, max-age=0, must-revalidate'],
  ])('%s → %s', (key, type, expected) => {
    expect(cacheControl(key, type)).toBe(expected);
  });
});

describe('isCompressible', () => {
  it.each([
    ['text/html; charset=utf-8', true],
    ['text/javascript; charset=utf-8', true],
    ['application/json', true],
    ['application/manifest+json', true],
    ['image/svg+xml', true],
    ['application/wasm', true],
    ['image/png', false],
    ['font/woff2', false],
    ['application/octet-stream', false],
    ['application/zip', false],
  ])('%s → %s', (type, expected) => {
    expect(isCompressible(type)).toBe(expected);
  });
});

describe('BodyCache', () => {
  it('re-reads when the version changes and evicts the least recently used past its budget', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lbuild-body-cache-'));
    try {
      const files = ['a', 'b', 'c'].map((name) => {
        const file = path.join(dir, name);
        writeFileSync(file, name.repeat(100));
        return file;
      });
      const [a, b, c] = files.map((file) => ({ file, version: statSync(file) }));
      const cache = new BodyCache(250);
      expect((await cache.get(a!.file, a!.version, 'identity')).body.toString()).toBe(
        'a'.repeat(100),
      );
      await cache.get(b!.file, b!.version, 'identity');
      expect(cache.peek(a!.file, a!.version, 'identity')).toBeDefined(); // a is now the most recent
      await cache.get(c!.file, c!.version, 'identity'); // 300 > 250: evicts b, the least recently used
      expect(cache.peek(b!.file, b!.version, 'identity')).toBeUndefined();
      expect(cache.peek(a!.file, a!.version, 'identity')).toBeDefined();
      expect(cache.usage.bytes).toBeLessThanOrEqual(250);
      // Another version of a (edited since): not answered from the cache.
      expect(
        cache.peek(a!.file, { ...a!.version, mtimeMs: a!.version.mtimeMs + 1 }, 'identity'),
      ).toBeUndefined();
      // Compressed variants are separate entries.
      expect(cache.peek(a!.file, a!.version, 'gzip')).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseStaticSiteOptions', () => {
  it('accepts a full object', () => {
    expect(
      parseStaticSiteOptions({
        root: 'dist',
        port: '8081',
        spa: false,
        errorDocument: '404.html',
        cacheControl: { '*.js': 'x' },
      }),
    ).toEqual({
      root: 'dist',
      port: 8081,
      spa: false,
      errorDocument: '404.html',
      cacheControl: { '*.js': 'x' },
    });
  });

  it.each([
    [{ spa: 'yes' }, 'frontend.spa'],
    [{ port: 70000 }, 'frontend.port'],
    [{ cacheControl: { 'assets/**': 1 } }, 'frontend.cacheControl["assets/**"]'],
    [{ colour: 'red' }, 'frontend.colour'],
    [[], 'frontend'],
  ])('names the JSON path of a bad value: %j', (value, jsonPath) => {
    const error = (() => {
      try {
        parseStaticSiteOptions(value);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).jsonPath).toBe(jsonPath);
  });
});

describe('parseStaticMainArgs', () => {
  it('reads the root, port and host from argv', () => {
    expect(parseStaticMainArgs(['dist', '--port', '9000', '--host', '0.0.0.0'], {})).toEqual({
      root: 'dist',
      port: 9000,
      host: '0.0.0.0',
    });
  });

  it('reads env vars and the config JSON, argv winning over env over config', () => {
    const env = {
      LBUILD_STATIC_ROOT: 'from-env',
      LBUILD_STATIC_PORT: '7000',
      LBUILD_STATIC_CONFIG: JSON.stringify({
        root: 'from-config',
        port: 6000,
        spa: false,
        cacheControl: { '*.js': 'immutable' },
      }),
    };
    expect(parseStaticMainArgs([], env)).toEqual({
      root: 'from-env',
      port: 7000,
      spa: false,
      cacheControl: { '*.js': 'immutable' },
    });
    expect(parseStaticMainArgs(['--port', '8000', 'from-argv'], env)).toMatchObject({
      root: 'from-argv',
      port: 8000,
    });
  });

  it('reads the config from a file with @path', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lbuild-static-main-'));
    try {
      const file = path.join(dir, 'static.json');
      writeFileSync(file, JSON.stringify({ root: 'site', errorDocument: '404.html' }));
      expect(parseStaticMainArgs(['--config', `@${file}`], {})).toEqual({
        root: 'site',
        errorDocument: '404.html',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with a hint when no root is given, on bad JSON, unknown flags and bad ports', () => {
    expect(() => parseStaticMainArgs([], {})).toThrow(UserError);
    expect(() => parseStaticMainArgs(['dist'], { LBUILD_STATIC_CONFIG: '{nope' })).toThrow(
      /LBUILD_STATIC_CONFIG: is not valid JSON/,
    );
    expect(() => parseStaticMainArgs(['dist', '--colour'], {})).toThrow(UserError);
    expect(() => parseStaticMainArgs(['dist', '--port', 'http'], {})).toThrow(
      /--port: must be a port number/,
    );
  });
});
