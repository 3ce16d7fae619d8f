/**
 * lbuild as a library: what `import ... from 'lbuild'` gives. The CLI (src/cli) is a thin layer over
 * these same functions, so anything a command does can be done from a script or a test. Each name is
 * re-exported from the module that defines it, so this file is only the list of the public surface.
 */

// Projects: find and resolve lbuild.json (the input of packaging, invoking and serving).
export {
  configFileName,
  loadProject,
  type ConfigOverrides,
  type ResolvedFunction,
  type ResolvedProject,
} from './config/load.js';
export type { DjangoConfig, FunctionConfig, PackageFormat, ProjectConfig } from './config/types.js';

// `lbuild init`: detect the app or import Zappa / Serverless / SAM settings, write lbuild.json.
export {
  initProject,
  formatInitReport,
  takeDefault,
  type Ask,
  type InitOptions,
  type InitResult,
} from './init/index.js';

// Packaging: the deployment zip (or layer) built in a Lambda-compatible container.
export { defaultZipPath, packageProject } from './package/package-project.js';
export type { BuildOptions, PackageOptions } from './package/options.js';
export type {
  AuditSummary,
  BuildFacts,
  CacheStatus,
  LayerReport,
  PackageReport,
} from './package/report.js';

// Image output: `lbuild package --format image`.
export {
  defaultImageTag,
  packageImage,
  type ImageOptions,
  type ImagePackageReport,
} from './package/image-output/package-image.js';

// Audit: a zip or folder checked against a runtime (limits, ELF machine, glibc versions).
export {
  auditFolder,
  auditPath,
  auditZip,
  type AuditOptions,
  type AuditReport,
} from './audit/audit.js';
export { AuditFailedError, assertAuditPassed } from './audit/audit-error.js';
export { formatAuditReport } from './audit/report-text.js';
export type { Finding, FindingKind } from './audit/finding.js';

// One invocation of one function (`lbuild invoke`).
export { invokeFunction, type InvokeOptions, type InvokeResult } from './invoke/index.js';

// A Django management command in a function's sandbox (`lbuild manage`).
export { runManage, type ManageOptions, type ManageResult } from './manage/index.js';

// The local stack (`lbuild serve` / `lbuild down`).
export { startStack, type RunningStack, type ServeOptions } from './serve/stack.js';
export { stopStack } from './serve/down.js';

// The Lambda emulator: Runtime API, workers and the Invoke API.
export { startEmulator, type Emulator, type EmulatorOptions } from './emulator/index.js';
export type { InvocationOutcome, InvokeRequest, Invoker } from './emulator/types.js';
export { LogSink, type LogEvent, type LogListener } from './emulator/logs/sink.js';
export { renderHuman, renderJson, type LogFormat } from './emulator/logs/render.js';
export type { RuntimeCommand } from './emulator/workers/process/process-worker-factory.js';

// The API Gateway front (HTTP API and REST API) over an Invoker.
export {
  startGateway,
  type GatewayServerOptions,
  type RunningGateway,
} from './emulator/apigw/server.js';

// Static hosting with S3 website + CloudFront semantics.
export { startStaticServer, type StaticServer } from './serve/static/server.js';
export { createStaticHandler } from './serve/static/handler.js';
export type { StaticSiteOptions } from './serve/static/options.js';

// Progress and messages: pass a Reporter to see what long operations do.
export { silentReporter, stderrReporter, type Reporter } from './log.js';

// Errors: every failure is one of these, with an exit code, a stable `code` and a hint.
export {
  ExitCode,
  LbuildError,
  UserError,
  ConfigError,
  BuildError,
  InstallScriptsSkippedError,
  LimitError,
  TimedOutError,
  EnvironmentError,
  DockerUnavailableError,
  ImageMissingError,
  InternalError,
  CancelledError,
  toLbuildError,
} from './errors.js';

// The runtime catalog: Lambda's runtimes with their OS, glibc and images.
export { findRuntime } from './runtimes/lookup.js';
export {
  runtimes,
  runtimeNames,
  newestRuntime,
  type Architecture,
  type Language,
  type RuntimeInfo,
  type RuntimeName,
  type RuntimeStatus,
} from './runtimes/catalog.js';
