/**
 * Content-Type of an object from its extension (mime-db through mime-types, the table Express and
 * send use), and whether a type is worth compressing.
 */
import path from 'node:path';
import mime from 'mime-types';

/**
 * mime-db answers "application/node" for .cjs, which browsers refuse to run as a script; bundlers
 * emit .cjs chunks, so serve them as JavaScript.
 */
const overrides: Record<string, string> = {
  '.cjs': 'text/javascript; charset=utf-8',
};

/** S3's default for an object uploaded without a type is binary/octet-stream; this is the standard name. */
export const unknownContentType = 'application/octet-stream';

export function contentTypeFor(key: string): string {
  const extension = path.posix.extname(key).toLowerCase();
  return overrides[extension] ?? (mime.contentType(extension) || unknownContentType);
}

/**
 * CloudFront's list of compressed types, in spirit: text, JavaScript, JSON, XML, SVG, WebAssembly and
 * the font formats that are not compressed already (woff/woff2 are). Images, video and archives are
 * left alone: compressing them costs CPU and gains nothing.
 */
const compressibleTypes = new Set([
  'application/javascript',
  'application/x-javascript',
  'application/json',
  'application/ld+json',
  'application/manifest+json',
  'application/xml',
  'application/xhtml+xml',
  'application/rss+xml',
  'application/atom+xml',
  'application/wasm',
  'application/vnd.ms-fontobject',
  'application/x-font-ttf',
  'image/svg+xml',
  'image/vnd.microsoft.icon',
  'image/x-icon',
  'font/ttf',
  'font/otf',
  'font/eot',
]);

export function isCompressible(contentType: string): boolean {
  const essence = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return (
    essence.startsWith('text/') ||
    compressibleTypes.has(essence) ||
    essence.endsWith('+json') ||
    essence.endsWith('+xml')
  );
}
