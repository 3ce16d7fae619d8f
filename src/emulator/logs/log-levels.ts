/**
 * Lambda's log levels (LoggingConfig): the application levels a runtime filters its own logging
 * by (AWS_LAMBDA_LOG_LEVEL), the system levels the platform's events are filtered by, and which
 * level each platform event has ("Event mapping for system log level" in the Lambda guide).
 * The filters of `lbuild logs --level` order lines by the same ranks.
 */

/** Most detailed first, as AWS lists them. */
export const applicationLogLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type ApplicationLogLevel = (typeof applicationLogLevels)[number];

export const systemLogLevels = ['DEBUG', 'INFO', 'WARN'] as const;
export type SystemLogLevel = (typeof systemLogLevels)[number];

export const logFormats = ['Text', 'JSON'] as const;
export type LambdaLogFormat = (typeof logFormats)[number];

/** Lambda's defaults: plain text; INFO for both kinds of logs once the format is JSON. */
export const defaultLogging = {
  format: 'Text',
  applicationLogLevel: 'INFO',
  systemLogLevel: 'INFO',
} as const satisfies {
  format: LambdaLogFormat;
  applicationLogLevel: ApplicationLogLevel;
  systemLogLevel: SystemLogLevel;
};

/** 0 (TRACE) to 5 (FATAL): a line is kept when its rank is at least the threshold's. */
export function levelRank(level: ApplicationLogLevel): number {
  return applicationLogLevels.indexOf(level);
}

/**
 * A level as runtimes and libraries spell it (Python's WARNING and CRITICAL, lower case), or
 * undefined for anything that is not one.
 */
export function normalizeLevel(name: unknown): ApplicationLogLevel | undefined {
  if (typeof name !== 'string') return undefined;
  const upper = name.toUpperCase();
  if (upper === 'WARNING') return 'WARN';
  if (upper === 'CRITICAL') return 'FATAL';
  return (applicationLogLevels as readonly string[]).includes(upper)
    ? (upper as ApplicationLogLevel)
    : undefined;
}

/**
 * The level of each platform event. Events not in the table (Web Functions' own, which carry
 * their level in the line) count as INFO.
 */
const platformEventLevels: Record<string, SystemLogLevel> = {
  'platform.initStart': 'INFO',
  'platform.initRuntimeDone': 'DEBUG',
  'platform.initReport': 'INFO',
  'platform.restoreStart': 'INFO',
  'platform.restoreRuntimeDone': 'DEBUG',
  'platform.restoreReport': 'INFO',
  'platform.start': 'INFO',
  'platform.runtimeDone': 'DEBUG',
  'platform.report': 'INFO',
  'platform.telemetrySubscription': 'DEBUG',
  'platform.logsDropped': 'WARN',
  'platform.extension': 'INFO',
  'platform.requestComplete': 'DEBUG',
};

export function platformEventLevel(type: string): SystemLogLevel {
  return platformEventLevels[type] ?? 'INFO';
}

/** Does a platform event of `type` pass the function's system log level? */
export function platformEventShown(type: string, threshold: SystemLogLevel): boolean {
  return levelRank(platformEventLevel(type)) >= levelRank(threshold);
}
