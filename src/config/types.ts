/** The shape of lbuild.json as written by users (see schema/lbuild.schema.json). */
import type {
  ApplicationLogLevel,
  LambdaLogFormat,
  SystemLogLevel,
} from '../emulator/logs/log-levels.js';
import type { Architecture, RuntimeName, SystemPackageManager } from '../runtimes/catalog.js';

/** event: a handler behind the Runtime API; web: a Lambda Web Function (an HTTP server). */
export type FunctionKind = 'event' | 'web';

export interface FunctionConfig {
  type?: FunctionKind;
  /** Required for event functions; web functions have none (see entryPoint). */
  handler?: string;
  runtime?: RuntimeName;
  architecture?: Architecture;
  memorySize?: number;
  timeout?: number;
  ephemeralStorage?: number;
  environment?: Record<string, string>;
  routes?: Array<string | RouteConfig>;
  payloadVersion?: '1.0' | '2.0';
  concurrency?: number;
  url?: FunctionUrlConfig;
  logging?: LoggingConfig;
  // Web functions only (the schema refuses them on event functions).
  entryPoint?: string;
  maxConcurrencyPerEnvironment?: number;
  maxEnvironments?: number;
  port?: number;
}

/** functions.<name>.url: a Lambda function URL (AWS::Lambda::Url), served on its own local port. */
export interface FunctionUrlConfig {
  authType: 'NONE' | 'AWS_IAM';
  invokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
  cors?: CorsConfig;
  port?: number;
}

/**
 * functions.<name>.logging (or the top-level default): Lambda's LoggingConfig. The levels filter
 * only with format JSON, as on Lambda.
 */
export interface LoggingConfig {
  format?: LambdaLogFormat;
  applicationLogLevel?: ApplicationLogLevel;
  systemLogLevel?: SystemLogLevel;
}

/** A route with settings of its own: {"route": "GET /chat", "responseTransferMode": "STREAM"}. */
export interface RouteConfig {
  route: string;
  /** REST APIs: STREAM passes a streamed response on as it is written. Default BUFFERED. */
  responseTransferMode?: 'BUFFERED' | 'STREAM';
}

export type PackageFormat = 'zip' | 'image';

/** package.slim as an object; `true` means `{}` (lbuild's defaults). */
export interface SlimConfig {
  defaults?: boolean;
  remove?: string[];
  keep?: string[];
  keepTypeStubs?: boolean;
  strip?: boolean | { minBytes?: number; exclude?: string[] };
}

/**
 * package.systemPackages: OS packages installed in the build container before the dependencies.
 * A list means the same names for every package manager; an object names them per manager.
 */
export type SystemPackagesConfig = string[] | Partial<Record<SystemPackageManager, string[]>>;

export interface CorsConfig {
  allowOrigins?: string[];
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  allowCredentials?: boolean;
  maxAge?: number;
}

export interface ProjectConfig {
  name?: string;
  runtime?: RuntimeName;
  architecture?: Architecture;
  allowPreviewRuntimes?: boolean;
  functions?: Record<string, FunctionConfig>;
  package?: {
    include?: string[];
    exclude?: string[];
    dependencies?: string;
    installArgs?: string[];
    allowSkippedInstallScripts?: boolean;
    sourceDir?: string;
    slim?: boolean | SlimConfig;
    systemPackages?: SystemPackagesConfig;
    bundleLibraries?: boolean;
    layer?: boolean;
    format?: PackageFormat;
    imageTag?: string;
  };
  frontend?: {
    dir: string;
    port?: number;
    spa?: boolean;
    errorDocument?: string;
    cacheControl?: Record<string, string>;
  };
  database?: {
    image?: string;
    name?: string;
    user?: string;
    password?: string;
    port?: number;
    init?: string;
    healthTimeout?: number;
  };
  api?: { port?: number; cors?: CorsConfig; type?: 'http' | 'rest'; stage?: string };
  environment?: Record<string, string>;
  logging?: LoggingConfig;
  django?: DjangoConfig;
}

/** `lbuild manage` and Django's settings for every function. */
export interface DjangoConfig {
  settingsModule?: string;
  manageTimeout?: number;
}
