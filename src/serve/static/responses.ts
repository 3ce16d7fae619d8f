/**
 * The static site's answers that are not a file's bytes: short status pages, the error document
 * for a 404, S3's directory redirect and 304 Not Modified.
 */
import { readFile } from 'node:fs/promises';
import {
  STATUS_CODES,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { errorCacheControl } from './cache-control.js';
import { contentTypeFor } from './media-type.js';
import { lookup, type Site } from './site.js';

export function sendNotModified(res: ServerResponse): void {
  for (const name of ['Content-Type', 'Content-Length', 'Content-Encoding', 'Content-Range'])
    res.removeHeader(name);
  res.statusCode = 304;
  res.end();
}

export function redirectToDirectory(req: IncomingMessage, res: ServerResponse, key: string): void {
  const url = req.url ?? '';
  const queryStart = url.indexOf('?');
  const query = queryStart === -1 ? '' : url.slice(queryStart);
  const location = `/${key.split('/').map(encodeURIComponent).join('/')}/${query}`;
  sendStatus(req, res, 302, { Location: location });
}

export async function sendNotFound(
  site: Site,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (site.errorDocumentKey !== undefined) {
    const found = lookup(site, site.errorDocumentKey);
    if (found.kind === 'file') {
      const body = await readFile(found.file).catch(() => undefined);
      if (body) {
        clearHeaders(res);
        res.writeHead(404, {
          'Content-Type': contentTypeFor(found.key),
          'Content-Length': body.length,
          'Cache-Control': errorCacheControl,
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
    }
  }
  sendStatus(req, res, 404);
}

/** A short plain-text status response; it replaces whatever headers were set for a file. */
export function sendStatus(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders = {},
  detail?: string,
): void {
  if (res.headersSent) {
    // Too late for a status line: cut the connection so the client sees a failure, not a short file.
    res.destroy();
    return;
  }
  const body = `${status} ${STATUS_CODES[status] ?? ''}${detail ? `: ${detail}` : ''}\n`;
  clearHeaders(res);
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': errorCacheControl,
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function failed(
  site: Site,
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
): void {
  site.reporter.warn(
    `static: ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`,
  );
  sendStatus(req, res, 500);
}

export function clearHeaders(res: ServerResponse): void {
  for (const name of res.getHeaderNames()) res.removeHeader(name);
}
