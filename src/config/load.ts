/**
 * Finding and reading lbuild.json, then resolving it (with command-line overrides) into a
 * ResolvedProject where every default is filled in. Zero-config works: a folder with no lbuild.json
 * plus --runtime and --handler describes a one-function project.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigError, UserError } from '../errors.js';
import type { Architecture, RuntimeInfo } from '../runtimes/catalog.js';
import { assertRuntimeAllowed, findRuntime, runtimeWarning } from '../runtimes/lookup.js';
import { detectDependencyFile, type DependencyFile } from './dependency-file.js';
import type { CorsConfig, PackageFormat, ProjectConfig, SlimConfig } from './types.js';
import { validateConfig } from './validate.js';

export const configFileName = 'lbuild.json';

export interface ResolvedFunction {
  name: string;
  handler: string;
  runtime: RuntimeInfo;
  architecture: Architecture;
  memorySize: number;
  timeout: number;
  ephemeralStorage: number;
  environment: Record<string, string>;
  routes: string[];
  payloadVersion: '1.0' | '2.0';
  concurrency: number;
}

export interface ResolvedProject {
  root: string;
  name: string;
  configFile: string | undefined;
  config: ProjectConfig;
  functions: ResolvedFunction[];
  /** The build target shared by all functions (one zip). */
  runtime: RuntimeInfo;
  architecture: Architecture;
  package: {
    include: string[];
    exclude: string[];
    dependencies: DependencyFile | undefined;
    installArgs: string[];
    allowSkippedInstallScripts: boolean;
    sourceDir: string;
    /** undefined: no slimming (package.slim absent or false). */
    slim: SlimConfig | undefined;
    layer: boolean;
    format: PackageFormat;
    imageTag: string | undefined;
  };
  cors: CorsConfig | undefined;
  /** What the user should hear once per command (a deprecated or preview runtime). */
  warnings: string[];
}

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
  const allowPreview = overrides.allowPreview === true || config.allowPreviewRuntimes === true;

  let functionConfigs = config.functions;
  if (overrides.handler) {
    // --handler on a configured project replaces the handler of a single-function project, or adds one.
    const names = Object.keys(functionConfigs ?? {});
    const target = names.length === 1 ? names[0]! : (overrides.name ?? 'function');
    functionConfigs = {
      ...functionConfigs,
      [target]: { ...(functionConfigs?.[target] ?? {}), handler: overrides.handler },
    };
  }
  if (!functionConfigs || Object.keys(functionConfigs).length === 0) {
    throw new ConfigError(
      'functions',
      file ? 'no functions are defined' : `no ${configFileName} in ${root}`,
      'Create lbuild.json with `lbuild init`, or pass --runtime and --handler (e.g. --runtime python3.11 --handler app.handler).',
      file,
    );
  }

  const defaultRuntimeName = overrides.runtime ?? config.runtime;
  const functions = Object.entries(functionConfigs).map(([name, fn]): ResolvedFunction => {
    const runtimeName = overrides.runtime ?? fn.runtime ?? defaultRuntimeName;
    if (!runtimeName) {
      throw new ConfigError(
        `functions.${name}.runtime`,
        'no runtime is set',
        'Set "runtime" at the top level or for this function, or pass --runtime (e.g. python3.11).',
        file,
      );
    }
    const runtime = findRuntime(runtimeName);
    assertRuntimeAllowed(runtime, allowPreview);
    return {
      name,
      handler: fn.handler,
      runtime,
      architecture: overrides.architecture ?? fn.architecture ?? config.architecture ?? 'x86_64',
      memorySize: fn.memorySize ?? 512,
      timeout: fn.timeout ?? 30,
      ephemeralStorage: fn.ephemeralStorage ?? 512,
      environment: { ...(config.environment ?? {}), ...(fn.environment ?? {}) },
      routes: fn.routes ?? [],
      payloadVersion: fn.payloadVersion ?? '2.0',
      concurrency: fn.concurrency ?? 4,
    };
  });

  // One zip serves every function, so they must agree on what the dependencies are built for.
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

  const sourceDir = config.package?.sourceDir ?? '.';
  return {
    root,
    name: overrides.name ?? config.name ?? sanitizeName(basename(root)),
    configFile: file,
    config,
    functions,
    runtime: first.runtime,
    architecture: first.architecture,
    package: {
      include: config.package?.include ?? [],
      exclude: config.package?.exclude ?? [],
      dependencies: detectDependencyFile(
        root,
        first.runtime.language,
        config.package?.dependencies,
      ),
      installArgs: config.package?.installArgs ?? [],
      allowSkippedInstallScripts: config.package?.allowSkippedInstallScripts ?? false,
      sourceDir,
      slim: config.package?.slim === true ? {} : config.package?.slim || undefined,
      layer: config.package?.layer ?? false,
      format: config.package?.format ?? 'zip',
      imageTag: config.package?.imageTag,
    },
    cors: config.api?.cors,
    warnings: [
      ...new Set(
        functions
          .map((fn) => runtimeWarning(fn.runtime))
          .filter((w): w is string => w !== undefined),
      ),
    ],
  };
}

function sanitizeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned || 'app';
}
