import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where lbuild keeps what it downloads and bootstraps: root file systems, npm packages. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LBUILD_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lbuild');
}
