/**
 * Request target → object key, the way S3 thinks of it: "assets/app.js", "" for the site root.
 *
 * Browsers remove dot segments before they send a request, so a target that still has "..", a
 * backslash, a NUL byte or broken percent-encoding comes from a tool or an attacker: we refuse it
 * (400) instead of "normalising" it into something that happens to exist. Checks run on the DECODED
 * path, so "%2e%2e%2f" and "..%5c" are caught like their plain forms.
 */
import path from 'node:path';

export type ResolvedTarget =
  /** `key` has no leading slash; `directory` when the target ended in "/" (index document wanted). */
  | { kind: 'key'; key: string; directory: boolean }
  | { kind: 'bad-request'; reason: string }
  /** A dotfile or a file inside a dot directory: answered as 404, never as the SPA fallback. */
  | { kind: 'hidden' };

/** Served even though it starts with a dot: RFC 8615 well-known URIs (assetlinks.json, security.txt...). */
const allowedDotDirectory = '.well-known';

export function resolveTarget(requestTarget: string): ResolvedTarget {
  const rawPath = pathOfTarget(requestTarget);
  if (rawPath === undefined) return { kind: 'bad-request', reason: 'request target is not a path' };

  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad-request', reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0')) return { kind: 'bad-request', reason: 'NUL byte in path' };
  if (decoded.includes('\\')) return { kind: 'bad-request', reason: 'backslash in path' };

  const segments = decoded.split('/').filter((segment) => segment !== '');
  for (const [index, segment] of segments.entries()) {
    if (segment === '.' || segment === '..')
      return { kind: 'bad-request', reason: 'dot segment in path' };
    if (
      segment.startsWith('.') &&
      !(index === 0 && segment === allowedDotDirectory && segments.length > 1)
    ) {
      return { kind: 'hidden' };
    }
  }
  return { kind: 'key', key: segments.join('/'), directory: decoded.endsWith('/') };
}

/** The key of the index document for a directory key: "" → "index.html", "docs" → "docs/index.html". */
export function indexKey(directoryKey: string): string {
  return directoryKey === '' ? 'index.html' : `${directoryKey}/index.html`;
}

/**
 * The file for a key under an absolute, normalised root. The containment check repeats what
 * resolveTarget guarantees, so that a future change there cannot turn into a path traversal.
 */
export function fileForKey(root: string, key: string): string | undefined {
  const file = path.join(root, key);
  return file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep)
    ? file
    : undefined;
}

/** "/a/b?x=1" → "/a/b"; absolute-form "http://host/a/b" → "/a/b"; "*" or garbage → undefined. */
function pathOfTarget(target: string): string | undefined {
  let rest = target;
  if (!rest.startsWith('/')) {
    const match = /^https?:\/\/[^/?#]*/i.exec(rest);
    if (!match) return undefined;
    rest = rest.slice(match[0].length) || '/';
    if (!rest.startsWith('/')) rest = `/${rest}`;
  }
  const end = rest.search(/[?#]/);
  return end === -1 ? rest : rest.slice(0, end);
}
