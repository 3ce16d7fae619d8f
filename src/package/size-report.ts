/**
 * Sizes that matter for Lambda: the biggest contributors (top-level entries, or the package inside
 * node_modules) and the two hard limits.
 */
import { LimitError } from '../errors.js';
import { formatBytes } from '../log.js';

export const unzippedLimitBytes = 262_144_000; // 250 MB, the number Lambda's deploy error names
export const directUploadLimitBytes = 52_428_800; // 50 MB zipped, direct upload

export interface Contributor {
  path: string;
  bytes: number;
}

/** "numpy/core/x.so" → "numpy"; "node_modules/sharp/lib/x" → "node_modules/sharp". */
export function contributorOf(name: string): string {
  const parts = name.split('/');
  if (parts[0] === 'node_modules' && parts.length > 2) {
    return parts[1]!.startsWith('@') && parts.length > 3
      ? parts.slice(0, 3).join('/')
      : parts.slice(0, 2).join('/');
  }
  return parts[0]!;
}

export function largestContributors(
  entries: { name: string; size: number }[],
  count = 10,
): Contributor[] {
  const totals = new Map<string, number>();
  for (const entry of entries) {
    const key = contributorOf(entry.name);
    totals.set(key, (totals.get(key) ?? 0) + entry.size);
  }
  return [...totals.entries()]
    .map(([path, bytes]) => ({ path, bytes }))
    .sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1))
    .slice(0, count);
}

export function checkUnzippedLimit(unzippedBytes: number, largest: Contributor[]): void {
  if (unzippedBytes <= unzippedLimitBytes) return;
  const top = largest
    .slice(0, 5)
    .map((c) => `${c.path} (${formatBytes(c.bytes)})`)
    .join(', ');
  throw new LimitError(
    `the package unzips to ${formatBytes(unzippedBytes)}, over Lambda's 250 MB limit (${unzippedLimitBytes} bytes); biggest: ${top}`,
    {
      hint: 'Drop unused dependencies, move large ones to a layer or a container image, or exclude test/data folders with package.exclude.',
      details: { unzippedBytes, limit: unzippedLimitBytes, largest },
    },
  );
}
