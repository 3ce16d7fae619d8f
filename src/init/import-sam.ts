/**
 * A SAM template (template.yaml) → lbuild.json. Each AWS::Serverless::Function keeps its logical id
 * as its name (so `lbuild invoke HelloFunction` is `sam local invoke HelloFunction`), with Globals
 * under its own properties; Api events become REST API routes, HttpApi events HTTP API routes;
 * FunctionUrlConfig becomes url. One package serves every function: a CodeUri they share becomes
 * package.sourceDir, different ones prefix each handler with its folder.
 */
import { basename } from 'node:path';
import { sanitizeName } from '../config/load.js';
import type { FunctionConfig, ProjectConfig } from '../config/types.js';
import { UserError } from '../errors.js';
import { isLiteral } from './cfn-yaml.js';
import {
  applyApiKind,
  corsFrom,
  environmentFrom,
  functionName,
  numberOr,
  routeKey,
  settleRuntimes,
  type ImportedFunction,
} from './import-common.js';
import type { Notes } from './notes.js';

type Yaml = Record<string, unknown>;

const mappedProperties = new Set([
  'Handler',
  'Runtime',
  'CodeUri',
  'MemorySize',
  'Timeout',
  'Environment',
  'Events',
  'Architectures',
  'EphemeralStorage',
  'ReservedConcurrentExecutions',
  'FunctionUrlConfig',
  'FunctionName',
  'Description',
]);

export function isSamTemplate(parsed: unknown): boolean {
  if (!parsed || typeof parsed !== 'object') return false;
  const p = parsed as Yaml;
  return 'Resources' in p && ('Transform' in p || 'AWSTemplateFormatVersion' in p);
}

export function importSam(root: string, template: Yaml, notes: Notes): ProjectConfig {
  const resources = (template.Resources ?? {}) as Record<string, Yaml>;
  const globals = ((template.Globals as Yaml | undefined)?.Function ?? {}) as Yaml;
  const resolve = parameterResolver(template.Parameters as Record<string, Yaml> | undefined);
  const entries = Object.entries(resources).filter(
    ([, r]) => r?.Type === 'AWS::Serverless::Function',
  );
  const codeUris = new Set(
    entries.map(([, r]) => codeUri({ ...globals, ...(r.Properties as Yaml) })),
  );
  const shared = codeUris.size === 1 ? [...codeUris][0] : undefined;
  const config: ProjectConfig = { name: sanitizeName(basename(root)) };
  if (shared && shared !== '.') {
    config.package = { sourceDir: shared };
    notes.map(`package.sourceDir ${shared} ← CodeUri (shared by every function)`);
  } else if (codeUris.size > 1) {
    notes.skip(
      `CodeUri differs between functions (${[...codeUris].join(', ')}): one package holds the project, so each handler is prefixed with its folder (a module importing a sibling may need the folder on its path)`,
    );
  }

  const functions: Record<string, ImportedFunction> = {};
  const rest = new Set<string>();
  const http = new Set<string>();
  for (const [id, resource] of entries) {
    const own = (resource.Properties ?? {}) as Yaml;
    const props: Yaml = { ...globals, ...own };
    const where = `Resources.${id}`;
    if (props.PackageType === 'Image' || typeof props.Handler !== 'string') {
      notes.skip(
        `${where}: ${props.PackageType === 'Image' ? 'a container image function' : 'no Handler'}: not imported`,
      );
      continue;
    }
    const name = functionName(id, Object.keys(functions));
    const folder = codeUri(props);
    const handler =
      shared !== undefined || folder === '.' ? props.Handler : `${folder}/${props.Handler}`;
    const fn: FunctionConfig = { handler };
    notes.map(`functions.${name}.handler ${handler} ← ${where}`);
    const memory = numberOr(resolve(props.MemorySize));
    if (memory !== undefined) fn.memorySize = memory;
    const timeout = numberOr(resolve(props.Timeout));
    if (timeout !== undefined) fn.timeout = timeout;
    const storage = numberOr(resolve((props.EphemeralStorage as Yaml | undefined)?.Size));
    if (storage !== undefined) fn.ephemeralStorage = storage;
    const reserved = numberOr(resolve(props.ReservedConcurrentExecutions));
    if (reserved !== undefined && reserved >= 1) fn.concurrency = Math.min(reserved, 1000);
    if (memory !== undefined || timeout !== undefined)
      notes.map(
        `functions.${name}: ${[memory !== undefined && `memorySize ${memory}`, timeout !== undefined && `timeout ${timeout}`].filter(Boolean).join(', ')} ← ${where}${'MemorySize' in own && 'Timeout' in own ? '' : ' and Globals'}`,
      );
    const variables = {
      ...(((globals.Environment as Yaml | undefined)?.Variables ?? {}) as Yaml),
      ...(((own.Environment as Yaml | undefined)?.Variables ?? {}) as Yaml),
    };
    const environment = environmentFrom(
      variables,
      `${where}.Environment.Variables`,
      notes,
      resolve,
    );
    if (environment) {
      fn.environment = environment;
      notes.map(
        `functions.${name}.environment ${Object.keys(environment).join(', ')} ← Environment.Variables`,
      );
    }
    const url = functionUrl(props.FunctionUrlConfig);
    if (url) {
      fn.url = url;
      notes.map(`functions.${name}.url ${url.authType} ← FunctionUrlConfig`);
    }
    const routes = eventRoutes(
      props.Events as Record<string, Yaml> | undefined,
      where,
      name,
      notes,
      { rest, http },
    );
    if (routes.length > 0) {
      fn.routes = routes;
      notes.map(`functions.${name}.routes ${routes.join(', ')} ← Events`);
    }
    for (const key of Object.keys(own).filter((k) => !mappedProperties.has(k)))
      notes.skip(`${where}.${key}: not used by lbuild`);
    const runtime = resolve(props.Runtime);
    functions[name] = {
      config: fn,
      runtime: typeof runtime === 'string' ? runtime : undefined,
      where: 'Runtime' in own ? `${where}.Runtime` : 'Globals.Function.Runtime',
    };
    const arch = Array.isArray(props.Architectures) ? props.Architectures[0] : undefined;
    if ((arch === 'arm64' || arch === 'x86_64') && !config.architecture) {
      config.architecture = arch;
      notes.map(`architecture ${arch} ← Architectures`);
    }
  }
  if (Object.keys(functions).length === 0)
    throw new UserError('the template has no AWS::Serverless::Function lbuild can import', {
      hint: 'lbuild imports zip functions (Handler + Runtime); container image functions are built with their own Dockerfile.',
    });
  const settled = settleRuntimes(root, functions, notes);
  config.runtime = settled.runtime;
  config.functions = settled.functions;
  applyApiKind(config, rest, http, restStage(resources, resolve), notes);
  otherResources(resources, config, notes);
  return config;
}

/** "hello_world/" → "hello_world"; none → "." (the template's folder). */
function codeUri(props: Yaml): string {
  const uri = props.CodeUri;
  if (typeof uri !== 'string') return '.';
  return uri.replace(/^\.\//, '').replace(/\/+$/, '') || '.';
}

/** !Ref Param → the parameter's Default, when it has one; anything else stays as it is. */
function parameterResolver(
  parameters: Record<string, Yaml> | undefined,
): (value: unknown) => unknown {
  return (value) => {
    const ref = value && typeof value === 'object' ? (value as Yaml).Ref : undefined;
    if (typeof ref === 'string' && parameters?.[ref] && isLiteral(parameters[ref].Default))
      return parameters[ref].Default;
    return value;
  };
}

function eventRoutes(
  events: Record<string, Yaml> | undefined,
  where: string,
  name: string,
  notes: Notes,
  kinds: { rest: Set<string>; http: Set<string> },
): string[] {
  const routes: string[] = [];
  for (const [id, event] of Object.entries(events ?? {})) {
    const at = `${where}.Events.${id}`;
    if (event?.Type !== 'Api' && event?.Type !== 'HttpApi') {
      notes.skip(
        `${at}: ${String(event?.Type)} events are not emulated: run the function with \`lbuild invoke ${name}\``,
      );
      continue;
    }
    const props = (event.Properties ?? {}) as Yaml;
    // An HttpApi event without a path is the API's $default route.
    const key =
      event.Type === 'HttpApi' && props.Path === undefined
        ? '$default'
        : typeof props.Path === 'string' && typeof props.Method === 'string'
          ? routeKey(props.Method, props.Path, at, notes)
          : (notes.skip(`${at}: Path and Method must be plain strings`), undefined);
    if (!key) continue;
    if (props.Auth)
      notes.skip(
        `${at}.Auth: authorizers are not emulated (requests reach the function unchecked)`,
      );
    routes.push(key);
    (event.Type === 'Api' ? kinds.rest : kinds.http).add(name);
  }
  return routes;
}

function functionUrl(value: unknown): FunctionConfig['url'] {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Yaml;
  const cors = corsFrom(v.Cors);
  return {
    authType: v.AuthType === 'AWS_IAM' ? 'AWS_IAM' : 'NONE',
    ...(v.InvokeMode === 'RESPONSE_STREAM' ? { invokeMode: 'RESPONSE_STREAM' as const } : {}),
    ...(cors ? { cors } : {}),
  };
}

/** SAM's implicit REST API is deployed as stage "Prod"; an AWS::Serverless::Api names its own. */
function restStage(resources: Record<string, Yaml>, resolve: (v: unknown) => unknown): string {
  const api = Object.values(resources).find((r) => r?.Type === 'AWS::Serverless::Api');
  const stage = resolve((api?.Properties as Yaml | undefined)?.StageName);
  return typeof stage === 'string' ? stage : 'Prod';
}

function otherResources(
  resources: Record<string, Yaml>,
  config: ProjectConfig,
  notes: Notes,
): void {
  for (const [id, resource] of Object.entries(resources)) {
    const type = String(resource?.Type);
    if (
      type === 'AWS::Serverless::Function' ||
      type === 'AWS::Serverless::Api' ||
      type === 'AWS::Serverless::HttpApi'
    )
      continue;
    const engine = (resource.Properties as Yaml | undefined)?.Engine;
    if (
      (type === 'AWS::RDS::DBInstance' || type === 'AWS::RDS::DBCluster') &&
      (engine === undefined || /postgres/i.test(String(engine)))
    ) {
      config.database = {};
      notes.map(`database (local Postgres) ← Resources.${id} (${type})`);
      continue;
    }
    notes.skip(`Resources.${id} (${type}): not created locally`);
  }
}
