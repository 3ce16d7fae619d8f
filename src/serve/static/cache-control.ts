/**
 * Cache-Control per object, from a glob → header table (first match wins), like the metadata you
 * would set on the S3 objects or the cache behaviours of a CloudFront distribution.
 *
 * Globs match the object key ("assets/app.1234.js", no leading slash). A glob without "/" matches the
 * file name at any depth, as in .gitignore: "index.html" covers "docs/index.html" too.
 *
 * Default when no rule matches (S3 sends no Cache-Control at all, and browsers then cache by
 * heuristic, which is how stale bundles survive a rebuild in local development):
 *   - HTML: "no-cache" (always revalidated; the 304 keeps that cheap)
 *   - anything else: "public, max-age=0, must-revalidate" (also revalidated on every use, so a file
 *     rebuilt on disk is seen at once; hashed assets get "immutable" through an explicit rule)
 * Error responses are "no-store" (see handler.ts).
 */
import picomatch from 'picomatch';

export type CacheControlRules = Record<string, string>;

export const defaultHtmlCacheControl = 'no-cache';
export const defaultAssetCacheControl = 'public, max-age=0, must-revalidate';
export const errorCacheControl = 'no-store';

export type CacheControlFor = (key: string, contentType: string) => string;

export function compileCacheControl(rules: CacheControlRules = {}): CacheControlFor {
  const matchers = Object.entries(rules).map(([glob, header]) => {
    const pattern = glob.replace(/^\/+/, '');
    // picomatch's own `basename` option also changes how patterns WITH a slash match, so pick the
    // subject here instead.
    const matches = picomatch(pattern, { dot: true });
    const byName = !pattern.includes('/');
    return {
      matches: (key: string) => matches(byName ? key.slice(key.lastIndexOf('/') + 1) : key),
      header,
    };
  });
  return (key, contentType) => {
    for (const { matches, header } of matchers) {
      if (matches(key)) return header;
    }
    return contentType.startsWith('text/html') ? defaultHtmlCacheControl : defaultAssetCacheControl;
  };
}
