/**
 * Route keys ("GET /items/{id}", "ANY /{proxy+}", "$default") and the matcher. API Gateway picks the
 * most specific route: compared segment by segment, a literal beats a {param}, which beats a greedy
 * {proxy+}; on the same path a method-specific route beats ANY; $default only catches what nothing
 * else matched. Note that "/{proxy+}" needs at least one segment, so it does not match "/" (as in AWS).
 */
import { UserError } from '../../errors.js';
import { safeDecode, type RouteMatch } from './request.js';

export const defaultRouteKey = '$default';

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

export interface ParsedRoute {
  key: string;
  /** Upper-case method or "ANY"; undefined for $default. */
  method: string | undefined;
  resource: string;
  segments: Segment[];
}

const methods = new Set(['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export function parseRouteKey(key: string): ParsedRoute {
  const trimmed = key.trim();
  if (trimmed === defaultRouteKey)
    return { key: defaultRouteKey, method: undefined, resource: '', segments: [] };
  const match = /^([A-Za-z]+)\s+(\/\S*)$/.exec(trimmed);
  const hint =
    'Write routes as "METHOD /path", e.g. "GET /items/{id}", "ANY /{proxy+}", or "$default".';
  if (!match) throw new UserError(`route "${key}" is not "METHOD /path" or "$default"`, { hint });
  const method = match[1]!.toUpperCase();
  if (!methods.has(method))
    throw new UserError(`route "${key}" has an unknown method ${match[1]}`, {
      hint: `Use one of ${[...methods].join(', ')}.`,
    });
  const resource = match[2]!.length > 1 ? match[2]!.replace(/\/$/, '') : '/';
  const parts = resource === '/' ? [] : resource.slice(1).split('/');
  const segments = parts.map((part, index): Segment => {
    const variable = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/.exec(part);
    if (!variable) {
      if (part.includes('{') || part.includes('}'))
        throw new UserError(`route "${key}": a path variable must fill a whole segment`, { hint });
      return { kind: 'literal', value: part };
    }
    if (variable[2] === '+') {
      if (index !== parts.length - 1)
        throw new UserError(
          `route "${key}": the greedy variable {${variable[1]}+} must be the last segment`,
          { hint },
        );
      return { kind: 'greedy', name: variable[1]! };
    }
    return { kind: 'param', name: variable[1]! };
  });
  return { key: `${method} ${resource}`, method, resource, segments };
}

/** Per matched segment: 3 literal, 2 param, 1 greedy. Compared lexicographically, higher wins. */
function matchSegments(
  route: ParsedRoute,
  parts: string[],
): { score: number[]; params: Record<string, string> } | undefined {
  const score: number[] = [];
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i]!;
    if (segment.kind === 'greedy') {
      if (i >= parts.length) return undefined;
      params[segment.name] = parts.slice(i).map(safeDecode).join('/');
      score.push(1);
      return { score, params };
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (safeDecode(part) !== segment.value) return undefined;
      score.push(3);
    } else {
      if (part === '') return undefined;
      params[segment.name] = safeDecode(part);
      score.push(2);
    }
  }
  return parts.length === route.segments.length ? { score, params } : undefined;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export interface RouteTable<T> {
  match(method: string, rawPath: string): (RouteMatch & { target: T }) | undefined;
}

/** Build a matcher over routes that each point at a target (a function). Duplicate keys are an error. */
export function createRouteTable<T>(
  entries: Array<{ routeKey: string; target: T }>,
): RouteTable<T> {
  const seen = new Map<string, string>();
  const routes = entries.map(({ routeKey, target }) => {
    const parsed = parseRouteKey(routeKey);
    if (seen.has(parsed.key)) {
      throw new UserError(`route "${parsed.key}" is defined twice`, {
        hint: 'Give each route to exactly one function.',
      });
    }
    seen.set(parsed.key, routeKey);
    return { parsed, target };
  });

  return {
    match(method, rawPath) {
      const upper = method.toUpperCase();
      const trimmed = rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath;
      const parts = trimmed === '/' || trimmed === '' ? [] : trimmed.slice(1).split('/');
      let best:
        | { route: (typeof routes)[number]; score: number[]; params: Record<string, string> }
        | undefined;
      for (const route of routes) {
        if (route.parsed.method === undefined) continue;
        if (route.parsed.method !== 'ANY' && route.parsed.method !== upper) continue;
        const result = matchSegments(route.parsed, parts);
        if (!result) continue;
        // Method-specific beats ANY on an equal path score: append it as the last score digit.
        const score = [...result.score, route.parsed.method === 'ANY' ? 0 : 1];
        if (!best || compareScores(score, best.score) > 0)
          best = { route, score, params: result.params };
      }
      if (best) {
        return {
          routeKey: best.route.parsed.key,
          resource: best.route.parsed.resource,
          pathParameters: best.params,
          target: best.route.target,
        };
      }
      const fallback = routes.find((route) => route.parsed.method === undefined);
      if (!fallback) return undefined;
      return {
        routeKey: defaultRouteKey,
        resource: safeDecode(rawPath),
        pathParameters: {},
        target: fallback.target,
      };
    },
  };
}
