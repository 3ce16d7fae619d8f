/**
 * The environment variables Lambda gives a function (LAMBDA-FACTS "Environment of a function").
 * Order matters: defaults, then the user's variables, then the reserved ones, because Lambda lets
 * users override PATH, TZ or LANG but never AWS_LAMBDA_* or _HANDLER.
 */
import type { ResolvedFunction } from '../../../config/load.js';
import { defaultLogging } from '../../logs/log-levels.js';
import { localCredentials } from '../../local-credentials.js';
import { logStreamName as newLogStreamName } from '../../pool/ids.js';

export interface EnvironmentInput {
  fn: ResolvedFunction;
  handler: string;
  /** Absent for a sandbox that runs no runtime client (`lbuild manage`'s command). */
  runtimeApi?: string;
  /** /var/task in a container; the code folder for a host process. */
  taskRoot: string;
  /** /var/runtime in a container; lbuild's runtime-support folder for a host process. */
  runtimeDir: string;
  region: string;
  /** Where the function runs: containers get Lambda's PATH; host processes keep the host's PATH. */
  placement: 'container' | 'host';
  hostPath?: string;
  logStreamName?: string;
}

/** Lambda's values for the variables users may override. */
function defaults(input: EnvironmentInput): Record<string, string> {
  const { fn, taskRoot, runtimeDir } = input;
  const env: Record<string, string> = {
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH:
      input.placement === 'host'
        ? (input.hostPath ?? '/usr/local/bin:/usr/bin:/bin')
        : '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
    LD_LIBRARY_PATH: `/var/lang/lib:/lib64:/usr/lib64:${runtimeDir}:${runtimeDir}/lib:${taskRoot}:${taskRoot}/lib:/opt/lib`,
  };
  if (fn.runtime.language === 'python') {
    env.PYTHONPATH = `${runtimeDir}:/opt/python/lib/python${fn.runtime.version}/site-packages:/opt/python`;
  } else {
    env.NODE_PATH = `/opt/nodejs/node${fn.runtime.version}/node_modules:/opt/nodejs/node_modules:${runtimeDir}/node_modules:${runtimeDir}:${taskRoot}`;
  }
  return env;
}

export function lambdaEnvironment(input: EnvironmentInput): Record<string, string> {
  const { fn } = input;
  const reserved: Record<string, string> = {
    _HANDLER: input.handler,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime.name}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: input.logStreamName ?? newLogStreamName(),
    ...loggingVariables(fn),
    ...(input.runtimeApi ? { AWS_LAMBDA_RUNTIME_API: input.runtimeApi } : {}),
    LAMBDA_TASK_ROOT: input.taskRoot,
    LAMBDA_RUNTIME_DIR: input.runtimeDir,
    // Dummies standing in for the execution role's credentials (see local-credentials.ts).
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_SESSION_TOKEN: localCredentials.sessionToken,
  };
  return { ...defaults(input), ...fn.environment, ...reserved };
}

/**
 * LoggingConfig as runtimes read it: the format always (inferred: "Text" unless JSON), the
 * application level only with JSON, since Lambda filters by level only in that format.
 */
function loggingVariables(fn: ResolvedFunction): Record<string, string> {
  const logging = fn.logging ?? defaultLogging;
  return {
    AWS_LAMBDA_LOG_FORMAT: logging.format,
    ...(logging.format === 'JSON' ? { AWS_LAMBDA_LOG_LEVEL: logging.applicationLogLevel } : {}),
  };
}

/** AWS_REGION for the emulator: the host's configured region, else us-east-1 like the SAM CLI. */
export function emulatorRegion(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}
