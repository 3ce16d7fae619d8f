/**
 * Options of the static site (the S3 bucket + CloudFront distribution stand-in), their defaults, and
 * validation of options that arrive as untrusted JSON (env var, argv, compose file).
 */
import { ConfigError } from '../../errors.js';
import type { CacheControlRules } from './cache-control.js';

export interface StaticSiteOptions {
  /** The frontend build folder (e.g. a React `dist/`). */
  root: string;
  /** Default 127.0.0.1: a dev server is not exposed to the network unless asked (0.0.0.0 in a container). */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /**
   * Default true: a GET/HEAD for a missing path that looks like a client-side route (no extension, or
   * Accept: text/html) is answered with /index.html and 200, like CloudFront with a 404 → /index.html
   * custom error response. Missing assets (/assets/x.js) still get a 404.
   */
  spa?: boolean;
  /** Key of the document sent with 404 responses, like S3's website error document (e.g. "404.html"). */
  errorDocument?: string;
  /** Glob → Cache-Control header, first match wins; see cache-control.ts for the defaults. */
  cacheControl?: CacheControlRules;
  /** Compress text responses with br/gzip when the client accepts it. Default true. */
  compress?: boolean;
}

export type StaticHandlerOptions = Omit<StaticSiteOptions, 'host' | 'port'>;

export const defaultStaticHost = '127.0.0.1';
export const defaultStaticPort = 8080;

/**
 * Checks a plain object (parsed JSON) field by field; errors name the JSON path under `at`, e.g.
 * "frontend.cacheControl["assets/**"]". `root` may be missing here when it is supplied elsewhere.
 */
export function parseStaticSiteOptions(
  value: unknown,
  at = 'frontend',
): Partial<StaticSiteOptions> {
  if (!isRecord(value))
    throw new ConfigError(
      at,
      'must be an object',
      'Write a JSON object, e.g. {"root": "dist", "spa": true}.',
    );
  const known = new Set([
    'root',
    'host',
    'port',
    'spa',
    'errorDocument',
    'cacheControl',
    'compress',
  ]);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      throw new ConfigError(
        `${at}.${key}`,
        `unknown property "${key}"`,
        `Accepted: ${[...known].join(', ')}.`,
      );
    }
  }
  const result: Partial<StaticSiteOptions> = {};
  if (value.root !== undefined) result.root = expectString(value.root, `${at}.root`);
  if (value.host !== undefined) result.host = expectString(value.host, `${at}.host`);
  if (value.port !== undefined) result.port = parsePort(value.port, `${at}.port`);
  if (value.spa !== undefined) result.spa = expectBoolean(value.spa, `${at}.spa`);
  if (value.compress !== undefined)
    result.compress = expectBoolean(value.compress, `${at}.compress`);
  if (value.errorDocument !== undefined)
    result.errorDocument = expectString(value.errorDocument, `${at}.errorDocument`);
  if (value.cacheControl !== undefined) {
    if (!isRecord(value.cacheControl)) {
      throw new ConfigError(
        `${at}.cacheControl`,
        'must be an object',
        'Map globs to headers, e.g. {"assets/**": "public, max-age=31536000, immutable"}.',
      );
    }
    const rules: CacheControlRules = {};
    for (const [glob, header] of Object.entries(value.cacheControl)) {
      rules[glob] = expectString(header, `${at}.cacheControl[${JSON.stringify(glob)}]`);
    }
    result.cacheControl = rules;
  }
  return result;
}

/** Accepts a number or a numeric string (env vars, argv). */
export function parsePort(value: unknown, at: string): number {
  const port = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(
      at,
      `must be a port number (0-65535), got ${JSON.stringify(value)}`,
      'Use e.g. 8080, or 0 for any free port.',
    );
  }
  return port;
}

function expectString(value: unknown, at: string): string {
  if (typeof value !== 'string' || value === '')
    throw new ConfigError(at, 'must be a non-empty string', 'Write a string here.');
  return value;
}

function expectBoolean(value: unknown, at: string): boolean {
  if (typeof value !== 'boolean')
    throw new ConfigError(at, 'must be true or false', 'Write true or false here (no quotes).');
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
