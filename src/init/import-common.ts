/**
 * What the three importers share: environment variables that are literal values (an intrinsic
 * function or an unresolved ${...} is noted, not guessed), route keys from method + path, one runtime
 * for the project (one zip serves every function), and HTTP API versus REST API.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CorsConfig, FunctionConfig, ProjectConfig } from '../config/types.js';
import { parseRouteKey } from '../emulator/apigw/routes.js';
import { UserError } from '../errors.js';
import { runtimes, type Language, type RuntimeName } from '../runtimes/catalog.js';
import { isLiteral } from './cfn-yaml.js';
import type { Notes } from './notes.js';
import { importedRuntime, parseRuntimeName } from './runtime-mapping.js';

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Literal values become strings; the rest are noted by name. DATABASE_URL is lbuild's to set. */
export function environmentFrom(
  variables: unknown,
  where: string,
  notes: Notes,
  resolve: (value: unknown) => unknown = (v) => v,
): Record<string, string> | undefined {
  if (!variables || typeof variables !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(variables as Record<string, unknown>)) {
    const value = resolve(raw);
    if (!variableName.test(name)) notes.skip(`${where}.${name}: not a valid variable name`);
    else if (name === 'DATABASE_URL')
      notes.skip(
        `${where}.DATABASE_URL: lbuild serve sets it to its own Postgres (see "database"); set the real one where you deploy`,
      );
    else if (!isLiteral(value) || /\$\{(?!env:\w+\})/.test(String(value)))
      notes.skip(
        `${where}.${name}: ${JSON.stringify(raw)} is resolved at deploy time; set it in .env or here by hand`,
      );
    else out[name] = String(value);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** "get" + "users/{id}" → "GET /users/{id}"; "*" and "any" → ANY; undefined (noted) if API Gateway would refuse it. */
export function routeKey(
  method: string,
  path: string,
  where: string,
  notes: Notes,
): string | undefined {
  const verb = method === '*' || method.toLowerCase() === 'any' ? 'ANY' : method.toUpperCase();
  const key = `${verb} /${path.replace(/^\/+/, '')}`;
  try {
    return parseRouteKey(key).key;
  } catch (error) {
    notes.skip(`${where}: route ${method} ${path}: ${(error as Error).message}`);
    return undefined;
  }
}

/** A function's language from its handler's file: handler.hello → handler.py or handler.js. */
export function languageOfHandler(root: string, handler: string): Language | undefined {
  const module = handler.replace(/^(wsgi|asgi):/, '').replace(/\.[^./]+$/, '');
  const base = join(root, module.replace(/\./g, '/'));
  const raw = join(root, module);
  if (existsSync(`${base}.py`) || existsSync(`${raw}.py`)) return 'python';
  if (['.js', '.mjs', '.cjs'].some((ext) => existsSync(`${raw}${ext}`))) return 'nodejs';
  return undefined;
}

export interface ImportedFunction {
  config: FunctionConfig;
  /** The runtime its file names (its own, or the provider's / Globals'). */
  runtime: string | undefined;
  /** Where that runtime was written, for the report. */
  where: string;
}

/**
 * One runtime for the project: the one most functions use. A function of another language cannot
 * share the zip and is left out (noted); another version of the same language is moved onto it.
 */
export function settleRuntimes(
  root: string,
  functions: Record<string, ImportedFunction>,
  notes: Notes,
): { runtime: RuntimeName; functions: Record<string, FunctionConfig> } {
  const counts = new Map<string, { count: number; where: string }>();
  for (const fn of Object.values(functions))
    if (fn.runtime) {
      const seen = counts.get(fn.runtime);
      counts.set(fn.runtime, { count: (seen?.count ?? 0) + 1, where: seen?.where ?? fn.where });
    }
  const [raw, { where }] = [...counts.entries()].sort((a, b) => b[1].count - a[1].count)[0] ?? [
    undefined,
    { where: '' },
  ];
  let runtime = raw ? importedRuntime(raw, where, notes) : undefined;
  if (!runtime) {
    const language = Object.values(functions)
      .map((fn) => fn.config.handler && languageOfHandler(root, fn.config.handler))
      .find(Boolean);
    const newest =
      language && runtimes.find((r) => r.language === language && r.status === 'current');
    if (!newest)
      throw new UserError('could not tell which runtime the imported functions use', {
        hint: 'Pass --runtime (e.g. --runtime python3.13 or --runtime nodejs22.x).',
      });
    notes.map(
      `runtime ${newest.name} ← the handlers are ${language === 'python' ? 'Python' : 'Node.js'} files and no runtime is set`,
    );
    runtime = newest.name;
  }
  const language = parseRuntimeName(runtime)!.language;
  const kept: Record<string, FunctionConfig> = {};
  for (const [name, fn] of Object.entries(functions)) {
    const own = fn.runtime && parseRuntimeName(fn.runtime);
    if (fn.runtime && (!own || own.language !== language)) {
      notes.skip(
        `functions.${name}: runtime ${fn.runtime} cannot share a ${language} package; left out (make it a project of its own)`,
      );
      continue;
    }
    if (fn.runtime && fn.runtime !== raw)
      notes.skip(
        `functions.${name}.runtime ${fn.runtime}: one package serves every function, so it runs on ${runtime} too`,
      );
    kept[name] = fn.config;
  }
  if (Object.keys(kept).length === 0)
    throw new UserError('none of the imported functions is a Python or Node.js function', {
      hint: 'lbuild packages and serves Python and Node.js functions only.',
    });
  return { runtime, functions: kept };
}

/**
 * REST API events (Serverless `http`, SAM `Api`) and HTTP API events (`httpApi`, `HttpApi`): a
 * project of REST routes only becomes a REST API with its stage; a mixed one stays an HTTP API and
 * its REST functions get payload 1.0 (noted: their paths lose the stage prefix locally).
 */
export function applyApiKind(
  config: ProjectConfig,
  restFunctions: Set<string>,
  httpFunctions: Set<string>,
  stage: string,
  notes: Notes,
): void {
  if (restFunctions.size === 0) return;
  if (httpFunctions.size === 0) {
    const cleanStage = stage.replace(/[^A-Za-z0-9_-]/g, '') || 'dev';
    config.api = { ...config.api, type: 'rest', stage: cleanStage };
    notes.map(
      `api.type rest, api.stage ${cleanStage} ← REST API events (paths are served under /${cleanStage}, as deployed)`,
    );
    return;
  }
  for (const name of restFunctions) {
    const fn = config.functions?.[name];
    if (fn) fn.payloadVersion = '1.0';
  }
  notes.skip(
    `REST API and HTTP API events are mixed: lbuild serve has one front, an HTTP API; ${[...restFunctions].join(', ')} get payload 1.0 and no /${stage} prefix`,
  );
}

/** Serverless' and SAM's CORS settings in lbuild's words (api.cors, functions.*.url.cors). */
export function corsFrom(value: unknown): CorsConfig | undefined {
  if (value === true) return { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] };
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const list = (...keys: string[]) => {
    const found = keys.map((k) => v[k]).find((x) => x !== undefined);
    // SAM's REST API CORS values are quoted header values: "'GET,POST'".
    if (typeof found === 'string')
      return found
        .replace(/^'|'$/g, '')
        .split(',')
        .map((x) => x.trim());
    return Array.isArray(found) && found.every((x) => typeof x === 'string')
      ? (found as string[])
      : undefined;
  };
  const cors = {
    allowOrigins: list('allowedOrigins', 'AllowOrigins', 'AllowOrigin'),
    allowMethods: list('allowedMethods', 'AllowMethods'),
    allowHeaders: list('allowedHeaders', 'AllowHeaders'),
    exposeHeaders: list('exposedResponseHeaders', 'ExposeHeaders'),
    allowCredentials: [v.allowCredentials, v.AllowCredentials].find(
      (x) => typeof x === 'boolean',
    ) as boolean | undefined,
    maxAge: [v.maxAge, v.MaxAge].find((x) => typeof x === 'number') as number | undefined,
  };
  const set = Object.fromEntries(Object.entries(cors).filter(([, x]) => x !== undefined));
  return Object.keys(set).length > 0 ? set : undefined;
}

/** A function name lbuild.json accepts, unique among `taken`. */
export function functionName(raw: string, taken: Iterable<string>): string {
  const base = raw.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 60) || 'function';
  const used = new Set(taken);
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  return name;
}

/** Zappa's and SAM's numbers, when they are numbers (a !Ref is noted by the caller). */
export const numberOr = (value: unknown): number | undefined =>
  typeof value === 'number'
    ? value
    : typeof value === 'string' && /^\d+$/.test(value)
      ? Number(value)
      : undefined;
