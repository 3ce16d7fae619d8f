/**
 * zappa_settings.json (or .yml) → lbuild.json, one stage of it. Zappa deploys a WSGI app behind a
 * REST API whose stage is the Zappa stage, so the app becomes a wsgi: function with every path
 * routed to it under api.type "rest" (the local URL has the same /<stage> prefix as the deployed
 * one). Scheduled and event-source functions become functions without routes, run with
 * `lbuild invoke`; lbuild does not schedule or subscribe them.
 */
import { basename } from 'node:path';
import { sanitizeName } from '../config/load.js';
import type { FunctionConfig, ProjectConfig } from '../config/types.js';
import { UserError } from '../errors.js';
import { everyPath } from './app-candidate.js';
import { djangoApp } from './detect-python-app.js';
import {
  environmentFrom,
  functionName,
  numberOr,
  settleRuntimes,
  type ImportedFunction,
} from './import-common.js';
import type { Notes } from './notes.js';

type Settings = Record<string, unknown>;

/** Settings that only say where and how to deploy: lbuild builds and serves, it does not deploy. */
const deploymentKeys = new Set([
  'aws_region',
  's3_bucket',
  'profile_name',
  'role_name',
  'role_arn',
  'manage_roles',
  'certificate_arn',
  'domain',
  'route53_enabled',
  'cloudwatch_log_level',
  'cloudwatch_data_trace',
  'cloudwatch_metrics_enabled',
  'tags',
  'lambda_description',
  'log_level',
  'use_precompiled_packages',
  'slim_handler',
  'delete_local_zip',
  'delete_s3_zip',
  'extends',
]);
/** Keys this importer reads. */
const mappedKeys = new Set([
  'app_function',
  'django_settings',
  'project_name',
  'runtime',
  'memory_size',
  'timeout_seconds',
  'exclude',
  'exclude_glob',
  'environment_variables',
  'aws_environment_variables',
  'events',
  'architecture',
  'ephemeral_storage',
  'apigateway_enabled',
  'cors',
]);

export function zappaStages(parsed: unknown): string[] {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
  return Object.entries(parsed as Settings)
    .filter(([, v]) => v && typeof v === 'object' && !Array.isArray(v))
    .map(([k]) => k);
}

/** A stage with what it extends ("extends": "dev") merged under it. */
function stageSettings(all: Settings, stage: string, seen: string[] = []): Settings {
  if (seen.includes(stage))
    throw new UserError(
      `zappa settings: stage ${stage} extends itself (${[...seen, stage].join(' → ')})`,
    );
  const own = all[stage] as Settings;
  const parent = typeof own.extends === 'string' ? own.extends : undefined;
  if (!parent) return own;
  if (!(parent in all))
    throw new UserError(`zappa settings: stage ${stage} extends ${parent}, which is not defined`);
  return { ...stageSettings(all, parent, [...seen, stage]), ...own };
}

export async function importZappa(
  root: string,
  parsed: unknown,
  stageFlag: string | undefined,
  notes: Notes,
): Promise<ProjectConfig> {
  const stages = zappaStages(parsed);
  if (stages.length === 0)
    throw new UserError('zappa settings define no stage', {
      hint: 'Expected { "dev": { "app_function": ... } }.',
    });
  if (stageFlag && !stages.includes(stageFlag))
    throw new UserError(`zappa settings have no stage "${stageFlag}"`, {
      hint: `Stages: ${stages.join(', ')}.`,
    });
  const stage =
    stageFlag ??
    (await notes.choose({
      question: 'Which Zappa stage should lbuild.json describe?',
      options: stages,
      default: stages[0]!,
    }));
  const settings = stageSettings(parsed as Settings, stage);
  notes.map(
    `stage ${stage}${stages.length > 1 ? ` (of ${stages.join(', ')}; --stage picks another)` : ''}`,
  );

  const functions: Record<string, ImportedFunction> = {};
  const config: ProjectConfig = {
    name: sanitizeName(
      typeof settings.project_name === 'string' ? settings.project_name : basename(root),
    ),
  };
  const runtime = typeof settings.runtime === 'string' ? settings.runtime : undefined;
  const where = `${stage}.runtime`;
  const app = appFunction(root, settings, stage, config, notes);
  if (app) functions.api = { config: app, runtime, where };
  for (const [index, event] of (Array.isArray(settings.events) ? settings.events : []).entries()) {
    const fn = eventFunction(event, `${stage}.events[${index}]`, Object.keys(functions), notes);
    if (fn) functions[fn.name] = { config: fn.config, runtime, where };
  }
  if (Object.keys(functions).length === 0)
    throw new UserError(
      `zappa stage ${stage} has neither app_function, django_settings nor events`,
      {
        hint: 'Add app_function (e.g. "app.app") to the stage, or run lbuild init without --from to detect the app.',
      },
    );
  if (!runtime)
    notes.skip(
      `${stage}.runtime: not set (Zappa uses the Python it runs on): the runtime is inferred below`,
    );
  const settled = settleRuntimes(root, functions, notes);
  config.runtime = settled.runtime;
  config.functions = settled.functions;
  packageSettings(settings, stage, config, notes);
  const environment = {
    ...environmentFrom(
      settings.aws_environment_variables,
      `${stage}.aws_environment_variables`,
      notes,
    ),
    ...environmentFrom(settings.environment_variables, `${stage}.environment_variables`, notes),
  };
  if (Object.keys(environment).length > 0) {
    config.environment = environment;
    notes.map(
      `environment ${Object.keys(environment).join(', ')} ← ${stage}.environment_variables`,
    );
  }
  if (app && settings.apigateway_enabled !== false) {
    config.api = { type: 'rest', stage };
    notes.map(
      `api.type rest, api.stage ${stage} ← Zappa's REST API (paths under /${stage}, as deployed)`,
    );
  }
  noteOtherKeys(settings, stage, notes);
  return config;
}

function appFunction(
  root: string,
  settings: Settings,
  stage: string,
  config: ProjectConfig,
  notes: Notes,
): FunctionConfig | undefined {
  let fn: FunctionConfig;
  if (typeof settings.django_settings === 'string') {
    const django = djangoApp(root, settings.django_settings);
    fn = { ...django.fn };
    config.django = { settingsModule: settings.django_settings };
    notes.map(
      `functions.api.handler ${fn.handler} ← ${stage}.django_settings ${settings.django_settings}`,
    );
    notes.map(`django.settingsModule ${settings.django_settings} ← ${stage}.django_settings`);
    for (const caveat of django.caveats) notes.skip(caveat);
  } else if (typeof settings.app_function === 'string') {
    // Zappa runs any WSGI app object; lbuild's wsgi: adapter does the same.
    fn = { handler: `wsgi:${settings.app_function.replace(/\.py(?=\.)/, '').replace(/\//g, '.')}` };
    notes.map(
      `functions.api.handler ${fn.handler} ← ${stage}.app_function ${settings.app_function}`,
    );
  } else return undefined;
  const memory = numberOr(settings.memory_size);
  if (memory !== undefined) {
    fn.memorySize = memory;
    notes.map(`functions.api.memorySize ${memory} ← ${stage}.memory_size`);
  }
  const timeout = numberOr(settings.timeout_seconds);
  fn.timeout = timeout ?? 30;
  notes.map(
    timeout !== undefined
      ? `functions.api.timeout ${timeout} ← ${stage}.timeout_seconds`
      : `functions.api.timeout 30 ← Zappa's default timeout_seconds`,
  );
  const size = numberOr((settings.ephemeral_storage as { Size?: unknown } | undefined)?.Size);
  if (size !== undefined) fn.ephemeralStorage = size;
  if (settings.architecture === 'arm64' || settings.architecture === 'x86_64') {
    config.architecture = settings.architecture;
    notes.map(`architecture ${settings.architecture} ← ${stage}.architecture`);
  }
  if (settings.apigateway_enabled !== false) {
    fn.routes = everyPath;
    notes.map(
      `functions.api.routes ${everyPath.join(', ')} ← Zappa's proxy of every path to the app`,
    );
  } else notes.map('functions.api: no routes ← apigateway_enabled false');
  return fn;
}

/** {function: "tasks.nightly", expression: "rate(1 day)"} or an event_source: a function to invoke by hand. */
function eventFunction(
  event: unknown,
  where: string,
  taken: string[],
  notes: Notes,
): { name: string; config: FunctionConfig } | undefined {
  const e = (event ?? {}) as {
    function?: unknown;
    expression?: unknown;
    event_source?: { arn?: unknown };
  };
  if (typeof e.function !== 'string') {
    notes.skip(`${where}: no "function" to run`);
    return undefined;
  }
  const name = functionName(e.function.split('.').pop()!, taken);
  notes.map(`functions.${name}.handler ${e.function} ← ${where}.function`);
  const trigger =
    typeof e.expression === 'string'
      ? `schedule ${e.expression}`
      : `event source ${String(e.event_source?.arn ?? '(unknown)')}`;
  notes.skip(`${where}: ${trigger} is not emulated: run it with \`lbuild invoke ${name}\``);
  return { name, config: { handler: e.function } };
}

function packageSettings(
  settings: Settings,
  stage: string,
  config: ProjectConfig,
  notes: Notes,
): void {
  const patterns = [settings.exclude, settings.exclude_glob]
    .flatMap((list) => (Array.isArray(list) ? list : []))
    .filter((p): p is string => typeof p === 'string');
  if (patterns.length === 0) return;
  config.package = { ...config.package, exclude: patterns };
  notes.map(`package.exclude ${patterns.join(', ')} ← ${stage}.exclude`);
}

function noteOtherKeys(settings: Settings, stage: string, notes: Notes): void {
  const deployment = Object.keys(settings).filter((k) => deploymentKeys.has(k));
  if (deployment.length > 0)
    notes.skip(
      `${stage}: ${deployment.join(', ')}: deployment settings (lbuild builds and serves; it does not deploy)`,
    );
  for (const key of Object.keys(settings)) {
    if (mappedKeys.has(key) || deploymentKeys.has(key)) continue;
    const why =
      key === 'keep_warm'
        ? 'lbuild serve keeps workers warm on its own'
        : key === 'remote_env'
          ? 'an S3 file read at deploy time; put its values in .env'
          : 'no lbuild equivalent';
    notes.skip(`${stage}.${key}: ${why}`);
  }
  if (settings.cors) notes.skip(`${stage}.cors: set api.cors to the origins your frontend uses`);
}
