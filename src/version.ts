/** lbuild's own version (package.json), read once: caches record it so a new release starts afresh. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './paths.js';

let version: string | undefined;

export function lbuildVersion(): string {
  version ??= (
    JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }
  ).version;
  return version;
}
