/**
 * What lbuild says about timeouts, in one place: which key raises each one, the one line that
 * ends a timed-out invocation, database.init or management command, and the warning for an
 * invocation that came close. Zappa's 30 s default is easy to miss because its timeout says
 * neither how long it waited nor where to change it; these lines say both.
 */
import { configFileName } from './load.js';
import type { ResolvedFunction } from './resolved-project.js';

/** A timeout as lbuild applies it, and where the user raises it. */
export interface TimeoutSetting {
  seconds: number;
  /** The lbuild.json key, e.g. functions.migrate.timeout. */
  key: string;
  /** A command-line flag that overrides the key for one run, if the command has one. */
  flag?: string;
  /** The most the key accepts (Lambda's 900 s). */
  maximumSeconds: number;
}

/** Lambda's maximum timeout, and the schema's for every timeout key below. */
export const maximumTimeoutSeconds = 900;

/** Share of the timeout above which an invocation that still finished is reported as close. */
export const nearTimeoutShare = 0.8;

export function functionTimeout(fn: Pick<ResolvedFunction, 'name' | 'timeout'>): TimeoutSetting {
  return {
    seconds: fn.timeout,
    key: `functions.${fn.name}.timeout`,
    maximumSeconds: maximumTimeoutSeconds,
  };
}

export function manageTimeout(seconds: number): TimeoutSetting {
  return {
    seconds,
    key: 'django.manageTimeout',
    flag: '--timeout <seconds>',
    maximumSeconds: maximumTimeoutSeconds,
  };
}

/** "database.init (migrate) timed out after 3 s: raise functions.migrate.timeout in lbuild.json". */
export function timedOutMessage(what: string, setting: TimeoutSetting): string {
  return `${what} timed out after ${seconds(setting.seconds)}: ${raise(setting)}`;
}

/** The warning for an invocation that used more than 80% of its timeout; undefined below that. */
export function nearTimeoutWarning(
  what: string,
  usedMs: number,
  setting: TimeoutSetting,
): string | undefined {
  const share = usedMs / (setting.seconds * 1000);
  if (share <= nearTimeoutShare) return undefined;
  return `${what} used ${(usedMs / 1000).toFixed(2)} s of its ${seconds(setting.seconds)} timeout (${Math.round(share * 100)}%): ${raise(setting)} before it times out`;
}

function raise(setting: TimeoutSetting): string {
  if (setting.seconds >= setting.maximumSeconds)
    return `${setting.key} in ${configFileName} is at its maximum (${setting.maximumSeconds} s): make the work shorter or split it`;
  return `raise ${setting.key} in ${configFileName}${setting.flag ? ` or pass ${setting.flag}` : ''}`;
}

function seconds(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(2)} s`;
}
