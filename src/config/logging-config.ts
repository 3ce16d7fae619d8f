/**
 * functions.<name>.logging over the top-level logging, field by field, with Lambda's defaults.
 * Lambda refuses log levels on a function whose log format is Text (level filtering needs JSON),
 * so lbuild.json does too, rather than accept a setting that would change nothing.
 */
import { defaultLogging } from '../emulator/logs/log-levels.js';
import { ConfigError } from '../errors.js';
import type { LoggingConfig, ProjectConfig } from './types.js';

export interface ResolvedLogging {
  format: NonNullable<LoggingConfig['format']>;
  applicationLogLevel: NonNullable<LoggingConfig['applicationLogLevel']>;
  systemLogLevel: NonNullable<LoggingConfig['systemLogLevel']>;
}

export function resolveLogging(
  name: string,
  own: LoggingConfig | undefined,
  config: ProjectConfig,
  file: string | undefined,
): ResolvedLogging {
  const merged: LoggingConfig = { ...config.logging, ...own };
  const format = merged.format ?? defaultLogging.format;
  if (format !== 'JSON') {
    const level = (['applicationLogLevel', 'systemLogLevel'] as const).find((key) => merged[key]);
    if (level) {
      const where = own?.[level] ? `functions.${name}.logging` : 'logging';
      throw new ConfigError(
        `${where}.${level}`,
        `is set while the log format of functions.${name} is ${format}`,
        'Lambda filters logs by level only in the JSON format: add "format": "JSON" to this "logging", or remove the level.',
        file,
      );
    }
  }
  return {
    format,
    applicationLogLevel: merged.applicationLogLevel ?? defaultLogging.applicationLogLevel,
    systemLogLevel: merged.systemLogLevel ?? defaultLogging.systemLogLevel,
  };
}
