/**
 * A write that ran out of space (ENOSPC, or EDQUOT on a quota) is the machine talking, not a bug:
 * it becomes an EnvironmentError naming the folder, what was being written, how much it had
 * written when the disk filled and how much space is left, so the fix (free space, or write
 * somewhere else) is obvious. Other write errors keep their own message.
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { EnvironmentError } from './errors.js';
import { formatBytes } from './log.js';

export function isOutOfSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * The size of the file system holding `path` (undefined: unknown). Its size rather than its free
 * space: when the error is made, the half-written file still takes what was free.
 */
export function diskBytes(path: string): number | undefined {
  try {
    const stats = statfsSync(path);
    return stats.blocks * stats.bsize;
  } catch {
    return undefined;
  }
}

export interface SpaceFacts {
  /** The file being written. */
  path: string;
  /** What it is, for people: "the zip", "the dependency cache entry". */
  what: string;
  /** Bytes written before the disk filled: what is needed is more than this. */
  bytesWritten: number;
  /** Where else it can go, if there is a setting for that. */
  elsewhere?: string;
}

export function outOfSpaceError(cause: unknown, facts: SpaceFacts): EnvironmentError {
  const folder = dirname(facts.path);
  const size = diskBytes(folder);
  const sizeText = size === undefined ? '' : ` (a ${formatBytes(size)} disk)`;
  return new EnvironmentError(
    `no space left in ${folder}${sizeText} for ${facts.what}: it needs more than ${formatBytes(facts.bytesWritten)}`,
    {
      cause,
      hint: `Free some space on that disk${facts.elsewhere ? ` or ${facts.elsewhere}` : ''}; nothing half-written was kept.`,
      details: { path: facts.path, bytesWritten: facts.bytesWritten, diskBytes: size },
    },
  );
}
