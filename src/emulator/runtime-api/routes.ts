/**
 * The Runtime API's whole surface, in one table. Anything not listed is a 404 with an error body;
 * a listed path with the wrong method is a 405.
 */
import { invocationError } from './handlers/error.js';
import { initError } from './handlers/init-error.js';
import { nextInvocation } from './handlers/next.js';
import { invocationResponse } from './handlers/response.js';
import type { RouteHandler } from './route-context.js';

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: RouteHandler;
}

export const routes: readonly Route[] = [
  { method: 'GET', pattern: /^\/2018-06-01\/runtime\/invocation\/next$/, handler: nextInvocation },
  {
    method: 'POST',
    pattern: /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/response$/,
    handler: invocationResponse,
  },
  {
    method: 'POST',
    pattern: /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/error$/,
    handler: invocationError,
  },
  { method: 'POST', pattern: /^\/2018-06-01\/runtime\/init\/error$/, handler: initError },
];

export type RouteMatch =
  | { kind: 'found'; route: Route; params: string[] }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'not-found' };

export function matchRoute(method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    try {
      return { kind: 'found', route, params: match.slice(1).map((p) => decodeURIComponent(p)) };
    } catch {
      return { kind: 'not-found' };
    }
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'not-found' };
}
