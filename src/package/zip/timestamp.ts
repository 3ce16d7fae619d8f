/**
 * The one timestamp every entry gets. ZIP stores MS-DOS date/time: no time zone, 2-second
 * resolution, years 1980..2107. We read the UTC fields so the bytes do not depend on the TZ of the
 * machine that builds (yazl and fflate use local-time getters, which is one reason we don't use them).
 */
import { UserError } from '../../errors.js';

/** 1980-01-01 00:00:00, the smallest DOS time: what Info-ZIP and most reproducible-build tools use. */
export const DEFAULT_ZIP_MTIME = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));
const MAX_DOS_MTIME = new Date(Date.UTC(2107, 11, 31, 23, 59, 58));

/**
 * `SOURCE_DATE_EPOCH` (seconds since the Unix epoch, see reproducible-builds.org) when set, else
 * 1980-01-01. A malformed value is an error rather than silently ignored: the user asked for it.
 */
export function resolveZipMtime(env: NodeJS.ProcessEnv = process.env): Date {
  const raw = env.SOURCE_DATE_EPOCH?.trim();
  if (raw === undefined || raw === '') return DEFAULT_ZIP_MTIME;
  if (!/^\d+$/.test(raw)) {
    throw new UserError(
      `SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got ${JSON.stringify(raw)}`,
      {
        hint: 'Set it to e.g. the last commit time: SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or unset it.',
      },
    );
  }
  return new Date(Number(raw) * 1000);
}

export interface DosDateTime {
  /** bits 15-11 hours, 10-5 minutes, 4-0 seconds / 2 */
  time: number;
  /** bits 15-9 years since 1980, 8-5 month, 4-0 day */
  date: number;
}

export function toDosDateTime(when: Date): DosDateTime {
  if (Number.isNaN(when.getTime())) throw new UserError('the zip timestamp is not a valid date');
  const d =
    when < DEFAULT_ZIP_MTIME ? DEFAULT_ZIP_MTIME : when > MAX_DOS_MTIME ? MAX_DOS_MTIME : when;
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}
