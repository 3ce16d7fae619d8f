/**
 * The request handler of the static site: S3 website + CloudFront semantics around `send` (the file
 * sender under Express's static middleware), which does the HTTP file work: Range/206/416/If-Range,
 * preconditions (304/412), Content-Length, HEAD, streaming with cleanup on abort.
 *
 * What it adds (here and in site.ts, serve-file.ts, responses.ts): key resolution that refuses
 * traversal (resolve-path.ts), index documents, S3's "/dir" → "/dir/" redirect, the SPA fallback, the error document, Cache-Control rules, br/gzip, and
 * a fast path for the common case: a full 200 or a 304 for a file up to 10 MB is answered from memory
 * (body-cache.ts), with 304 decided by `fresh`, the same function send uses. Ranges, If-Match /
 * If-Unmodified-Since and larger files go to send. Every request stats the file, so whatever is on
 * disk now is what gets served. No directory listing, no dotfiles, GET/HEAD only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { silentReporter, type Reporter } from '../../log.js';
import type { StaticHandlerOptions } from './options.js';
import { indexKey, resolveTarget } from './resolve-path.js';
import { failed, redirectToDirectory, sendNotFound, sendStatus } from './responses.js';
import { serveFile, serveMissing } from './serve-file.js';
import { createSite, lookup, type Site } from './site.js';

/** Answers every request it is given (never calls a "next"); resolves once the response is under way. */
export type StaticRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createStaticHandler(
  options: StaticHandlerOptions,
  reporter: Reporter = silentReporter,
): StaticRequestHandler {
  const site = createSite(options, reporter);
  return async (req, res) => {
    try {
      await route(site, req, res);
    } catch (error) {
      failed(site, req, res, error);
    }
  };
}

async function route(site: Site, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendStatus(req, res, 405, { Allow: 'GET, HEAD' });
  }
  const target = resolveTarget(req.url ?? '/');
  if (target.kind === 'bad-request') return sendStatus(req, res, 400, {}, target.reason);
  if (target.kind === 'hidden') return sendNotFound(site, req, res);

  const found = lookup(site, target.directory ? indexKey(target.key) : target.key);
  switch (found.kind) {
    case 'file':
      return serveFile(site, req, res, found);
    case 'forbidden':
      return sendStatus(req, res, 403);
    case 'directory':
      // S3 website endpoints answer "/docs" with a redirect to "/docs/" when docs/index.html exists.
      if (lookup(site, indexKey(target.key)).kind === 'file')
        return redirectToDirectory(req, res, target.key);
      return serveMissing(site, req, res, true);
    case 'missing':
      return serveMissing(site, req, res, target.directory || looksLikeRoute(target.key, req));
  }
}

/** A client-side route ("/users/42") rather than an asset ("/assets/app.js"). */
function looksLikeRoute(key: string, req: IncomingMessage): boolean {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return (
    path.posix.extname(name) === '' ||
    (req.headers.accept ?? '').toLowerCase().includes('text/html')
  );
}
