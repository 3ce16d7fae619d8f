/**
 * Serving a found file: a full 200 or a 304 for a file up to 10 MB from memory (body-cache.ts),
 * everything else (ranges, If-Match / If-Unmodified-Since, larger files) through `send`; and the
 * answer for a missing key (SPA fallback, error document), also used when a file vanishes mid-way.
 */
import type { Stats } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import fresh from 'fresh';
import send from 'send';
import { memoryMaxFileBytes, sameVersion, versionOf, type BodyEncoding } from './body-cache.js';
import { negotiateEncoding, shouldCompress } from './compression.js';
import { validatorsFor, type FileMeta, type Validators } from './file-meta.js';
import { clearHeaders, failed, sendNotFound, sendNotModified, sendStatus } from './responses.js';
import { lookup, type Lookup, type Site } from './site.js';

/** A key with no file: the SPA's index.html for a route-like key, else the 404 (error document). */
export async function serveMissing(
  site: Site,
  req: IncomingMessage,
  res: ServerResponse,
  routeLike: boolean,
): Promise<void> {
  // Also reached when a file vanished mid-response (a rebuild): drop the headers set for it.
  clearHeaders(res);
  if (site.spa && routeLike) {
    const index = lookup(site, 'index.html');
    if (index.kind === 'file') return serveFile(site, req, res, index);
  }
  return sendNotFound(site, req, res);
}

export async function serveFile(
  site: Site,
  req: IncomingMessage,
  res: ServerResponse,
  found: Extract<Lookup, { kind: 'file' }>,
): Promise<void> {
  const meta = site.meta.get(found.key, found.stats);
  res.setHeader('Content-Type', meta.contentType);
  res.setHeader('Cache-Control', meta.cacheControl);
  if (meta.compressible) res.setHeader('Vary', 'Accept-Encoding');

  const needsSend =
    found.stats.size > memoryMaxFileBytes ||
    req.headers.range !== undefined ||
    req.headers['if-match'] !== undefined ||
    req.headers['if-unmodified-since'] !== undefined;
  if (needsSend) return serveWithSend(site, req, res, found.key);

  const encoding =
    meta.compressible && shouldCompress(found.stats.size)
      ? negotiateEncoding(req.headers['accept-encoding'])
      : undefined;
  return serveFromMemory(site, req, res, found, meta, encoding ?? 'identity');
}

async function serveFromMemory(
  site: Site,
  req: IncomingMessage,
  res: ServerResponse,
  found: Extract<Lookup, { kind: 'file' }>,
  meta: FileMeta,
  encoding: BodyEncoding,
): Promise<void> {
  setValidators(res, meta);
  if (fresh(req.headers, { etag: meta.etag, 'last-modified': meta.lastModified }))
    return sendNotModified(res);
  if (encoding === 'identity') res.setHeader('Accept-Ranges', 'bytes');
  else res.setHeader('Content-Encoding', encoding);
  res.statusCode = 200;
  if (req.method === 'HEAD' && encoding === 'identity') {
    res.setHeader('Content-Length', found.stats.size);
    res.end();
    return;
  }

  let cached = site.bodies.peek(found.file, found.stats, encoding);
  if (!cached) {
    try {
      cached = await site.bodies.get(found.file, versionOf(found.stats), encoding);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The file vanished between stat and read (a rebuild in progress): treat it as missing.
      if (code === 'ENOENT' || code === 'EISDIR') return serveMissing(site, req, res, false);
      throw error;
    }
    // Read from a newer version than we stat'ed (edited in between): describe the bytes we send.
    if (!sameVersion(cached.version, found.stats))
      setValidators(res, validatorsFor(cached.version));
  }
  res.setHeader('Content-Length', cached.body.length);
  res.end(req.method === 'HEAD' ? undefined : cached.body);
}

function serveWithSend(site: Site, req: IncomingMessage, res: ServerResponse, key: string): void {
  const urlPath = `/${key.split('/').map(encodeURIComponent).join('/')}`;
  // Our own checks already refused dotfiles and traversal; send's root check stays as a second line.
  const sender = send(req, urlPath, {
    root: site.root,
    index: false,
    dotfiles: 'allow',
    etag: false,
    lastModified: false,
    cacheControl: false,
  });
  // Validators come from send's own stat, the one that matches the bytes it streams.
  sender.on('headers', (_res: ServerResponse, _path: string, stats: Stats) =>
    setValidators(res, validatorsFor(stats)),
  );
  sender.on(
    'directory',
    () =>
      void serveMissing(site, req, res, true).catch((error: unknown) =>
        failed(site, req, res, error),
      ),
  );
  sender.on('error', (error: Error & { status?: number; headers?: OutgoingHttpHeaders }) => {
    const status = error.status ?? 500;
    // The file vanished between our stat and send's (a rebuild in progress): treat it as missing.
    if (status === 404)
      return void serveMissing(site, req, res, false).catch((err: unknown) =>
        failed(site, req, res, err),
      );
    if (status >= 500) site.reporter.warn(`static: ${req.method} ${req.url}: ${error.message}`);
    sendStatus(req, res, status, error.headers ?? {});
  });
  sender.pipe(res);
}

function setValidators(res: ServerResponse, validators: Validators): void {
  res.setHeader('ETag', validators.etag);
  res.setHeader('Last-Modified', validators.lastModified);
}
