/**
 * Finding and reading lbuild.json, then resolving it (with command-line overrides) into a
 * ResolvedProject where every default is filled in. Zero-config works: a folder with no lbuild.json
 * plus --runtime and --handler describes a one-function project.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigError, UserError } from '../errors.js';
import type { Architecture } from '../runtimes/catalog.js';
import { assertRuntimeAllowed, findRuntime, runtimeWarning } from '../runtimes/lookup.js';
import {
  defaultApiPort,
  resolveDatabase,
  resolveDjango,
  resolveFrontend,
  resolveFunction,
  resolvePackage,
  webArchitecture,
  webRuntimeName,
  type ResolvedFunction,
  type ResolvedProject,
} from './resolved-project.js';
import { resolveLogging } from './logging-config.js';
import type { ProjectConfig } from './types.js';
import { validateConfig } from './validate.js';

// Most modules take a ResolvedProject from loadProject; they may import its types from here.
export type { ResolvedFunction, ResolvedProject } from './resolved-project.js';

export const configFileName = 'lbuild.json';

export interface ConfigOverrides {
  runtime?: string;
  handler?: string;
  architecture?: Architecture;
  name?: string;
  /** --allow-preview: accept preview runtimes (also "allowPreviewRuntimes" in lbuild.json). */
  allowPreview?: boolean;
}

export function readConfigFile(root: string): { config: ProjectConfig; file: string | undefined } {
  const file = join(root, configFileName);
  if (!existsSync(file)) return { config: {}, file: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      '(root)',
      `is not valid JSON (${(error as Error).message})`,
      'Fix the syntax; `npx jsonlint lbuild.json` shows where.',
      file,
    );
  }
  return { config: validateConfig(parsed, file), file };
}

export function loadProject(dir: string, overrides: ConfigOverrides = {}): ResolvedProject {
  const root = resolve(dir);
  if (!existsSync(root))
    throw new UserError(`project folder ${root} does not exist`, {
      hint: 'Pass the folder that holds your code (and lbuild.json).',
    });
  const { config, file } = readConfigFile(root);
  if (overrides.runtime) findRuntime(overrides.runtime);
  const functions = resolveFunctions(config, overrides, { root, file });
  const first = functions[0]!;
  const name = overrides.name ?? config.name ?? sanitizeName(basename(root));
  return {
    root,
    name,
    configFile: file,
    config,
    functions,
    runtime: first.runtime,
    architecture: first.architecture,
    package: resolvePackage(root, config, first.runtime),
    api: {
      port: config.api?.port ?? defaultApiPort,
      ...(config.api?.type ? { type: config.api.type } : {}),
      ...(config.api?.stage ? { stage: config.api.stage } : {}),
    },
    cors: config.api?.cors,
    frontend: resolveFrontend(config),
    database: resolveDatabase(config, name),
    django: resolveDjango(config),
    warnings: [
      ...new Set(
        functions
          .map((fn) => runtimeWarning(fn.runtime))
          .filter((w): w is string => w !== undefined),
      ),
      ...functions
        .filter((fn) => fn.web && fn.architecture !== webArchitecture)
        .map(webArchWarning),
    ],
  };
}

/** --handler on a configured project replaces the handler of a single-function project, or adds one. */
function functionConfigsWith(
  config: ProjectConfig,
  overrides: ConfigOverrides,
): ProjectConfig['functions'] {
  const functionConfigs = config.functions;
  if (!overrides.handler) return functionConfigs;
  const names = Object.keys(functionConfigs ?? {});
  const target = names.length === 1 ? names[0]! : (overrides.name ?? 'function');
  return {
    ...functionConfigs,
    [target]: { ...(functionConfigs?.[target] ?? {}), handler: overrides.handler },
  };
}

function resolveFunctions(
  config: ProjectConfig,
  overrides: ConfigOverrides,
  where: { root: string; file: string | undefined },
): ResolvedFunction[] {
  const { root, file } = where;
  const functionConfigs = functionConfigsWith(config, overrides);
  if (!functionConfigs || Object.keys(functionConfigs).length === 0) {
    throw new ConfigError(
      'functions',
      file ? 'no functions are defined' : `no ${configFileName} in ${root}`,
      'Create lbuild.json with `lbuild init`, or pass --runtime and --handler (e.g. --runtime python3.11 --handler app.handler).',
      file,
    );
  }
  const allowPreview = overrides.allowPreview === true || config.allowPreviewRuntimes === true;
  let webIndex = 0;
  const functions = Object.entries(functionConfigs).map(([name, fn]): ResolvedFunction => {
    const web = fn.type === 'web';
    const runtimeName =
      overrides.runtime ?? fn.runtime ?? config.runtime ?? (web ? webRuntimeName : undefined);
    if (!runtimeName) {
      throw new ConfigError(
        `functions.${name}.runtime`,
        'no runtime is set',
        'Set "runtime" at the top level or for this function, or pass --runtime (e.g. python3.11).',
        file,
      );
    }
    if (web && runtimeName !== webRuntimeName)
      throw new ConfigError(
        `functions.${name}.runtime`,
        `is ${runtimeName}, but Lambda runs web functions on ${webRuntimeName} only`,
        `Use "runtime": "${webRuntimeName}" (or leave it out) for this web function.`,
        file,
      );
    if (!web && fn.handler === undefined)
      throw new ConfigError(`functions.${name}.handler`, 'is required', 'Add "handler".', file);
    const runtime = findRuntime(runtimeName);
    assertRuntimeAllowed(runtime, allowPreview);
    return {
      ...resolveFunction(name, fn, config, {
        runtime,
        architecture: overrides.architecture,
        webIndex: web ? webIndex++ : 0,
      }),
      logging: resolveLogging(name, fn.logging, config, file),
    };
  });
  assertOneBuildTarget(functions, file);
  return functions;
}

/** One zip serves every function, so they must agree on what the dependencies are built for. */
function assertOneBuildTarget(functions: ResolvedFunction[], file: string | undefined): void {
  const first = functions[0]!;
  for (const fn of functions) {
    if (fn.runtime.name !== first.runtime.name || fn.architecture !== first.architecture) {
      throw new ConfigError(
        `functions.${fn.name}`,
        `uses ${fn.runtime.name}/${fn.architecture} but functions.${first.name} uses ${first.runtime.name}/${first.architecture}`,
        'Functions of one project share one package: give them the same runtime and architecture, or split them into separate projects.',
        file,
      );
    }
  }
}

/** Lambda runs web functions on arm64 only; x86_64 is allowed to serve them locally at full speed. */
function webArchWarning(fn: ResolvedFunction): string {
  return `functions.${fn.name} is a web function built for ${fn.architecture}: Lambda runs web functions on ${webArchitecture} only, so use this build to serve locally and package for ${webArchitecture} (with native modules for linux-arm64) to deploy.`;
}

export function sanitizeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned || 'app';
}
