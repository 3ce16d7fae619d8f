/**
 * serverless.yml → lbuild.json. Functions keep their names and handlers; provider settings are the
 * defaults under each function's own; http (REST API) and httpApi (HTTP API) events become routes;
 * package patterns ("!x" excludes) become package.exclude / include. Simple variables resolve
 * (${sls:stage}, ${opt:stage, ...}, ${self:service}, ${self:provider.stage}); ${env:X} is kept, as
 * lbuild.json reads it the same way; anything else is noted, never guessed.
 */
import { basename } from 'node:path';
import { sanitizeName } from '../config/load.js';
import type { FunctionConfig, ProjectConfig } from '../config/types.js';
import { UserError } from '../errors.js';
import {
  applyApiKind,
  corsFrom,
  environmentFrom,
  numberOr,
  routeKey,
  settleRuntimes,
  type ImportedFunction,
} from './import-common.js';
import type { Notes } from './notes.js';

type Yaml = Record<string, unknown>;

const mappedFunctionKeys = new Set([
  'handler',
  'runtime',
  'memorySize',
  'timeout',
  'environment',
  'events',
  'architecture',
  'ephemeralStorageSize',
  'reservedConcurrency',
  'url',
  'name',
  'description',
]);

/** Plugins whose job lbuild does itself. */
const pluginsDone: Record<string, string> = {
  'serverless-python-requirements':
    'lbuild package installs requirements in a Lambda-like container',
  'serverless-offline': 'lbuild serve runs the functions locally in Lambda-like containers',
  'serverless-wsgi': 'lbuild runs the WSGI app through its wsgi: adapter',
  'serverless-esbuild': 'bundle before lbuild package, or let lbuild install node_modules',
};

export function isServerless(parsed: unknown): boolean {
  return Boolean(
    parsed && typeof parsed === 'object' && 'service' in parsed && 'provider' in parsed,
  );
}

export function importServerless(root: string, parsed: Yaml, notes: Notes): ProjectConfig {
  const provider = (parsed.provider ?? {}) as Yaml;
  if (provider.name && provider.name !== 'aws')
    throw new UserError(`serverless.yml: provider ${String(provider.name)} is not AWS`, {
      hint: 'lbuild builds and serves AWS Lambda functions only.',
    });
  const service = typeof parsed.service === 'string' ? parsed.service : basename(root);
  const stage = defaultStage(provider.stage);
  const resolve = variableResolver(service, stage);
  const config: ProjectConfig = { name: sanitizeName(service) };
  notes.map(`name ${config.name} ← service`);
  const wsgiApp = ((parsed.custom as Yaml | undefined)?.wsgi as Yaml | undefined)?.app;

  const functions: Record<string, ImportedFunction> = {};
  const rest = new Set<string>();
  const http = new Set<string>();
  const raw = (parsed.functions ?? {}) as Record<string, Yaml>;
  for (const [name, fn] of Object.entries(raw)) {
    const where = `functions.${name}`;
    if (typeof fn?.handler !== 'string') {
      notes.skip(`${where}: no handler (container image functions are not imported)`);
      continue;
    }
    const handler =
      typeof wsgiApp === 'string' && /^wsgi(_handler)?\.handler$/.test(fn.handler)
        ? `wsgi:${wsgiApp}`
        : fn.handler;
    const out: FunctionConfig = { handler };
    notes.map(
      handler === fn.handler
        ? `${where}.handler ${handler}`
        : `${where}.handler ${handler} ← custom.wsgi.app ${String(wsgiApp)} (serverless-wsgi)`,
    );
    const memory = numberOr(fn.memorySize ?? provider.memorySize);
    if (memory !== undefined) out.memorySize = memory;
    const timeout = numberOr(fn.timeout ?? provider.timeout);
    if (timeout !== undefined) out.timeout = timeout;
    const storage = numberOr(fn.ephemeralStorageSize ?? provider.ephemeralStorageSize);
    if (storage !== undefined) out.ephemeralStorage = storage;
    const reserved = numberOr(fn.reservedConcurrency);
    if (reserved !== undefined && reserved >= 1) out.concurrency = Math.min(reserved, 1000);
    if (memory !== undefined || timeout !== undefined)
      notes.map(
        `${where}: ${[memory !== undefined && `memorySize ${memory}`, timeout !== undefined && `timeout ${timeout}`].filter(Boolean).join(', ')}`,
      );
    const environment = environmentFrom(fn.environment, `${where}.environment`, notes, resolve);
    if (environment) out.environment = environment;
    const url = functionUrl(fn.url);
    if (url) {
      out.url = url;
      notes.map(`${where}.url ${url.authType} ← url`);
    }
    const routes = eventRoutes(fn.events, where, notes, { rest, http, name });
    if (routes.length > 0) {
      out.routes = routes;
      notes.map(`${where}.routes ${routes.join(', ')} ← events`);
    }
    for (const key of Object.keys(fn).filter((k) => !mappedFunctionKeys.has(k)))
      notes.skip(`${where}.${key}: not used by lbuild`);
    const runtime =
      typeof fn.runtime === 'string'
        ? fn.runtime
        : typeof provider.runtime === 'string'
          ? provider.runtime
          : undefined;
    functions[name] = {
      config: out,
      runtime,
      where: fn.runtime ? `${where}.runtime` : 'provider.runtime',
    };
  }
  if (Object.keys(functions).length === 0)
    throw new UserError('serverless.yml defines no function lbuild can import');
  const settled = settleRuntimes(root, functions, notes);
  config.runtime = settled.runtime;
  config.functions = settled.functions;
  if (provider.architecture === 'arm64' || provider.architecture === 'x86_64') {
    config.architecture = provider.architecture;
    notes.map(`architecture ${provider.architecture} ← provider.architecture`);
  }
  const environment = environmentFrom(provider.environment, 'provider.environment', notes, resolve);
  if (environment) {
    config.environment = environment;
    notes.map(`environment ${Object.keys(environment).join(', ')} ← provider.environment`);
  }
  applyApiKind(config, rest, http, stage, notes);
  const cors = corsFrom((provider.httpApi as Yaml | undefined)?.cors);
  if (cors && http.size > 0) {
    config.api = { ...config.api, cors };
    notes.map('api.cors ← provider.httpApi.cors');
  }
  packagePatterns(parsed.package as Yaml | undefined, config, notes);
  notePlugins(parsed, notes);
  return config;
}

/** provider.stage as deployed without --stage: "${opt:stage, 'dev'}" is dev. */
function defaultStage(value: unknown): string {
  if (typeof value !== 'string') return 'dev';
  const stage = value.replace(/\$\{\s*opt:stage\s*,\s*['"]?([^}'"]*)['"]?\s*\}/g, '$1');
  return /\$\{/.test(stage) ? 'dev' : stage;
}

/** ${sls:stage}, ${opt:stage, 'x'}, ${self:provider.stage}, ${self:service} → their values. */
function variableResolver(service: string, stage: string): (value: unknown) => unknown {
  const known: Record<string, string> = {
    'sls:stage': stage,
    'self:provider.stage': stage,
    'self:service': service,
    'opt:stage': stage,
  };
  const once = (text: string) =>
    text.replace(
      /\$\{\s*([^,}\s]+)\s*(?:,\s*['"]?([^}'"]*)['"]?\s*)?\}/g,
      (whole, name: string, fallback?: string) =>
        name in known
          ? known[name]!
          : name.startsWith('env:')
            ? whole
            : fallback !== undefined && name.startsWith('opt:')
              ? fallback
              : whole,
    );
  return (value) => (typeof value === 'string' ? once(once(value)) : value);
}

function eventRoutes(
  events: unknown,
  where: string,
  notes: Notes,
  kinds: { rest: Set<string>; http: Set<string>; name: string },
): string[] {
  const routes: string[] = [];
  for (const [index, event] of (Array.isArray(events) ? events : []).entries()) {
    const at = `${where}.events[${index}]`;
    const [type, value] = Object.entries((event ?? {}) as Yaml)[0] ?? ['(empty)', undefined];
    if (type === 'httpApi' || type === 'http') {
      const key = httpEventRoute(type, value, at, notes);
      if (!key) continue;
      routes.push(key);
      (type === 'http' ? kinds.rest : kinds.http).add(kinds.name);
    } else {
      notes.skip(
        `${at}: ${type} events are not emulated: run the function with \`lbuild invoke ${kinds.name}\``,
      );
    }
  }
  return routes;
}

/** 'GET /users', '*', {method, path} → a route key. */
function httpEventRoute(
  type: string,
  value: unknown,
  at: string,
  notes: Notes,
): string | undefined {
  if (typeof value === 'string') {
    if (value.trim() === '*') return '$default';
    const [method, path] = value.trim().split(/\s+/);
    return method && path
      ? routeKey(method, path, at, notes)
      : (notes.skip(`${at}: ${type} "${value}" is not "METHOD /path"`), undefined);
  }
  const v = (value ?? {}) as Yaml;
  if (v.authorizer)
    notes.skip(
      `${at}.authorizer: authorizers are not emulated (requests reach the function unchecked)`,
    );
  if (typeof v.method !== 'string' || typeof v.path !== 'string') {
    notes.skip(`${at}: ${type} event without method and path`);
    return undefined;
  }
  return routeKey(v.method, v.path, at, notes);
}

function functionUrl(url: unknown): FunctionConfig['url'] {
  if (url === true) return { authType: 'NONE' };
  if (!url || typeof url !== 'object') return undefined;
  const u = url as Yaml;
  const cors = corsFrom(u.cors);
  return {
    authType: u.authorizer === 'aws_iam' ? 'AWS_IAM' : 'NONE',
    ...(u.invokeMode === 'RESPONSE_STREAM' ? { invokeMode: 'RESPONSE_STREAM' as const } : {}),
    ...(cors ? { cors } : {}),
  };
}

/** patterns (v3), or include / exclude (v1-v2): "!x" leaves x out. */
function packagePatterns(pkg: Yaml | undefined, config: ProjectConfig, notes: Notes): void {
  if (!pkg) return;
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const patterns = strings(pkg.patterns);
  const exclude = [
    ...strings(pkg.exclude),
    ...patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1)),
  ];
  // A positive pattern re-includes what an exclude took out; "**" alone adds nothing.
  const include = [
    ...strings(pkg.include),
    ...patterns.filter((p) => !p.startsWith('!') && p !== '**' && p !== '**/*'),
  ];
  if (exclude.length > 0 || include.length > 0) {
    config.package = {
      ...config.package,
      ...(exclude.length > 0 ? { exclude } : {}),
      ...(include.length > 0 ? { include } : {}),
    };
    notes.map(
      `package${exclude.length ? ` exclude ${exclude.join(', ')}` : ''}${include.length ? ` include ${include.join(', ')}` : ''} ← package.patterns`,
    );
  }
  for (const key of Object.keys(pkg).filter((k) => !['patterns', 'include', 'exclude'].includes(k)))
    notes.skip(`package.${key}: lbuild makes one package for every function`);
}

function notePlugins(parsed: Yaml, notes: Notes): void {
  const plugins = Array.isArray(parsed.plugins)
    ? parsed.plugins
    : Array.isArray((parsed.plugins as Yaml | undefined)?.modules)
      ? ((parsed.plugins as Yaml).modules as unknown[])
      : [];
  for (const plugin of plugins.filter((p): p is string => typeof p === 'string')) {
    const done = pluginsDone[plugin];
    if (done) notes.map(`plugin ${plugin}: not needed (${done})`);
    else notes.skip(`plugin ${plugin}: not used by lbuild`);
  }
  if (parsed.resources)
    notes.skip(
      'resources: CloudFormation resources are not created locally (lbuild serve has API Gateway, Postgres and static hosting)',
    );
}
