/**
 * The ResolvedProject: lbuild.json plus command-line overrides with every default applied, once,
 * here. Commands and the stack read these fields, never the raw config, so a default (API port 3000,
 * static port 8080, a 60 s database health timeout...) has exactly one home.
 */
import {
  systemPackageManagers,
  type Architecture,
  type RuntimeInfo,
  type SystemPackageManager,
} from '../runtimes/catalog.js';
import { detectDependencyFile, type DependencyFile } from './dependency-file.js';
import type { ResolvedLogging } from './logging-config.js';
import type {
  CorsConfig,
  FunctionKind,
  PackageFormat,
  ProjectConfig,
  SlimConfig,
  SystemPackagesConfig,
} from './types.js';

export interface ResolvedFunction {
  name: string;
  kind: FunctionKind;
  /** Event functions: module.function; web functions: the entry point file (as node is started with). */
  handler: string;
  runtime: RuntimeInfo;
  architecture: Architecture;
  memorySize: number;
  timeout: number;
  ephemeralStorage: number;
  environment: Record<string, string>;
  routes: string[];
  /** The routes (of `routes`) whose REST integration streams (responseTransferMode STREAM). */
  streamRoutes?: string[];
  payloadVersion: '1.0' | '2.0';
  concurrency: number;
  /** functions.<name>.url; absent: the function has no function URL. */
  url?: ResolvedFunctionUrl;
  /**
   * Lambda's logging controls, defaults applied (config/logging-config.ts). Optional so that a
   * function made in code (tests, `lbuild invoke --handler`) means Lambda's defaults (Text).
   */
  logging?: ResolvedLogging;
  /** Web functions only. */
  web: ResolvedWebSettings | undefined;
  /** Set by `--debug` (src/debug/): a debugger listens; timeouts are suspended, concurrency is 1. */
  debug?: FunctionDebug;
}

/** A function run under a debugger (Node's inspector or Python's debugpy). */
export interface FunctionDebug {
  /** The loopback port on this host (and the same port inside the container). */
  port: number;
  /** Hold the runtime until a debugger attaches (--inspect-brk / --wait-for-client). */
  wait: boolean;
  protocol: 'inspector' | 'debugpy';
}

/** A function URL with its defaults applied. */
export interface ResolvedFunctionUrl {
  authType: 'NONE' | 'AWS_IAM';
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
  cors: CorsConfig | undefined;
  /** undefined: the first free port of the default range (serve/stack-ports.ts). */
  port: number | undefined;
}

/** A Lambda Web Function's settings (see /docs of LAMBDA-WEB-FUNCTIONS: the contract). */
export interface ResolvedWebSettings {
  /** Relative to the package root; node starts it. */
  entryPoint: string;
  /** The entry point was named in lbuild.json: AWS_LAMBDA_NODEJS_ENTRYPOINT carries it, as SAM's EntryPoint sets it. */
  entryPointSet: boolean;
  maxConcurrencyPerEnvironment: number;
  maxEnvironments: number;
  /** The endpoint's local port in `lbuild serve` (127.0.0.1). */
  port: number;
}

export interface ResolvedPackage {
  include: string[];
  exclude: string[];
  dependencies: DependencyFile | undefined;
  installArgs: string[];
  allowSkippedInstallScripts: boolean;
  sourceDir: string;
  /** undefined: no slimming (package.slim absent or false). */
  slim: SlimConfig | undefined;
  systemPackages: ResolvedSystemPackages;
  /** Copy the shared libraries the installed tree needs and Lambda's OS lacks into lib/. */
  bundleLibraries: boolean;
  layer: boolean;
  format: PackageFormat;
  imageTag: string | undefined;
}

/** package.systemPackages: OS packages for the build container, per package manager. */
export interface ResolvedSystemPackages {
  /** A manager without a key has none named; a plain list in lbuild.json fills every key. */
  byManager: Partial<Record<SystemPackageManager, string[]>>;
  /** lbuild.json gave one list for every manager (so messages name package.systemPackages). */
  sameForAll: boolean;
}

/** frontend in lbuild.json: the static host of `lbuild serve`. */
export interface ResolvedFrontend {
  /** Relative to the project root; also kept out of the package. */
  dir: string;
  port: number;
  spa: boolean | undefined;
  errorDocument: string | undefined;
  cacheControl: Record<string, string> | undefined;
}

/** database in lbuild.json: the local Postgres of `lbuild serve`. */
export interface ResolvedDatabase {
  /** undefined: lbuild's Postgres image for the image source (see serve/database.ts). */
  image: string | undefined;
  name: string;
  user: string;
  password: string;
  hostPort: number;
  /** A function name, or a module.func handler run in the first function's package. */
  init: string | undefined;
  healthTimeoutSeconds: number;
}

/** django in lbuild.json: what `lbuild manage` needs beyond the function's environment. */
export interface ResolvedDjango {
  /** django.settingsModule; also DJANGO_SETTINGS_MODULE in every function's environment. */
  settingsModule: string | undefined;
  manageTimeoutSeconds: number;
}

export interface ResolvedProject {
  root: string;
  name: string;
  configFile: string | undefined;
  /** lbuild.json as written; read the resolved fields below instead (they carry the defaults). */
  config: ProjectConfig;
  functions: ResolvedFunction[];
  /** The build target shared by all functions (one zip). */
  runtime: RuntimeInfo;
  architecture: Architecture;
  package: ResolvedPackage;
  /** The API Gateway front: its port, HTTP API (default) or REST API, and a REST API's stage. */
  api: { port: number; type?: 'http' | 'rest'; stage?: string };
  cors: CorsConfig | undefined;
  frontend: ResolvedFrontend | undefined;
  database: ResolvedDatabase | undefined;
  django: ResolvedDjango;
  /** What the user should hear once per command (a deprecated or preview runtime). */
  warnings: string[];
}

export const defaultApiPort = 3000;
export const defaultStaticPort = 8080;
export const defaultDatabaseHealthTimeoutSeconds = 60;
export const defaultFunctionTimeoutSeconds = 30;
/** Web functions: Lambda's only runtime and architecture for them, and its defaults. */
export const webRuntimeName = 'nodejs24.x';
export const webArchitecture: Architecture = 'arm64';
export const defaultWebEntryPoint = 'index.js';
export const defaultMaxConcurrencyPerEnvironment = 64;
/** Lambda has no default (the account's vCPU quota limits it); 10 keeps a laptop usable. (inferred) */
export const defaultMaxEnvironments = 10;
/** The first web function's endpoint port; the next ones count up. (inferred) */
export const defaultWebPortBase = 3100;
/** Lambda's maximum: a management command run on Lambda (as `zappa manage` does) gets one invocation. */
export const defaultManageTimeoutSeconds = 900;

export function resolveFunction(
  name: string,
  fn: NonNullable<ProjectConfig['functions']>[string],
  config: ProjectConfig,
  target: { runtime: RuntimeInfo; architecture: Architecture | undefined; webIndex: number },
): ResolvedFunction {
  const web = fn.type === 'web' ? resolveWeb(fn, target.webIndex) : undefined;
  return {
    name,
    kind: web ? 'web' : 'event',
    handler: web ? web.entryPoint : (fn.handler ?? ''),
    runtime: target.runtime,
    architecture:
      target.architecture ??
      fn.architecture ??
      config.architecture ??
      (web ? webArchitecture : 'x86_64'),
    memorySize: fn.memorySize ?? 512,
    timeout: fn.timeout ?? defaultFunctionTimeoutSeconds,
    ephemeralStorage: fn.ephemeralStorage ?? 512,
    // django.settingsModule first: set before the handler is imported, unless an environment says otherwise.
    environment: {
      ...(config.django?.settingsModule
        ? { DJANGO_SETTINGS_MODULE: config.django.settingsModule }
        : {}),
      ...(config.environment ?? {}),
      ...(fn.environment ?? {}),
    },
    routes: (fn.routes ?? []).map((route) => (typeof route === 'string' ? route : route.route)),
    ...streamRoutes(fn.routes ?? []),
    payloadVersion: fn.payloadVersion ?? '2.0',
    concurrency: fn.concurrency ?? 4,
    ...(fn.url
      ? {
          url: {
            authType: fn.url.authType,
            // AWS's default: a URL created without InvokeMode is BUFFERED.
            invokeMode: fn.url.invokeMode ?? 'BUFFERED',
            cors: fn.url.cors,
            port: fn.url.port,
          },
        }
      : {}),
    web,
  };
}

function resolveWeb(
  fn: NonNullable<ProjectConfig['functions']>[string],
  webIndex: number,
): ResolvedWebSettings {
  return {
    entryPoint: fn.entryPoint ?? defaultWebEntryPoint,
    entryPointSet: fn.entryPoint !== undefined,
    maxConcurrencyPerEnvironment:
      fn.maxConcurrencyPerEnvironment ?? defaultMaxConcurrencyPerEnvironment,
    maxEnvironments: fn.maxEnvironments ?? defaultMaxEnvironments,
    port: fn.port ?? defaultWebPortBase + webIndex,
  };
}

function streamRoutes(
  routes: NonNullable<NonNullable<ProjectConfig['functions']>[string]['routes']>,
): { streamRoutes?: string[] } {
  const streamed = routes.flatMap((route) =>
    typeof route !== 'string' && route.responseTransferMode === 'STREAM' ? [route.route] : [],
  );
  return streamed.length > 0 ? { streamRoutes: streamed } : {};
}

export function resolvePackage(
  root: string,
  config: ProjectConfig,
  target: RuntimeInfo,
): ResolvedPackage {
  const pkg = config.package;
  return {
    include: pkg?.include ?? [],
    exclude: pkg?.exclude ?? [],
    dependencies: detectDependencyFile(root, target.language, pkg?.dependencies),
    installArgs: pkg?.installArgs ?? [],
    allowSkippedInstallScripts: pkg?.allowSkippedInstallScripts ?? false,
    sourceDir: pkg?.sourceDir ?? '.',
    slim: pkg?.slim === true ? {} : pkg?.slim || undefined,
    systemPackages: resolveSystemPackages(pkg?.systemPackages),
    bundleLibraries: pkg?.bundleLibraries ?? true,
    layer: pkg?.layer ?? false,
    format: pkg?.format ?? 'zip',
    imageTag: pkg?.imageTag,
  };
}

function resolveSystemPackages(config: SystemPackagesConfig | undefined): ResolvedSystemPackages {
  if (config === undefined) return { byManager: {}, sameForAll: false };
  if (Array.isArray(config))
    return {
      byManager: Object.fromEntries(systemPackageManagers.map((manager) => [manager, [...config]])),
      sameForAll: true,
    };
  return { byManager: { ...config }, sameForAll: false };
}

export function resolveFrontend(config: ProjectConfig): ResolvedFrontend | undefined {
  const frontend = config.frontend;
  if (!frontend) return undefined;
  return {
    dir: frontend.dir,
    port: frontend.port ?? defaultStaticPort,
    spa: frontend.spa,
    errorDocument: frontend.errorDocument,
    cacheControl: frontend.cacheControl,
  };
}

export function resolveDatabase(
  config: ProjectConfig,
  projectName: string,
): ResolvedDatabase | undefined {
  const db = config.database;
  if (!db) return undefined;
  const name = db.name ?? projectName.replace(/[^A-Za-z0-9_]/g, '_');
  return {
    image: db.image,
    name,
    user: db.user ?? name,
    password: db.password ?? 'lbuild-local',
    hostPort: db.port ?? 5432,
    init: db.init,
    healthTimeoutSeconds: db.healthTimeout ?? defaultDatabaseHealthTimeoutSeconds,
  };
}

export function resolveDjango(config: ProjectConfig): ResolvedDjango {
  return {
    settingsModule: config.django?.settingsModule,
    manageTimeoutSeconds: config.django?.manageTimeout ?? defaultManageTimeoutSeconds,
  };
}
