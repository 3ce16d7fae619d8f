// AWS's Node runtime interface client, installed once into a cache for the tests that run it as a
// worker. Its install compiles C++ (about 2-3 minutes), so scripts/dev.sh starts it while the
// stand-in images build; run as a script it installs if missing.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// aws-lambda-ric 4.x needs Node 22; 3.3.0 is what npm picks on Node 20.
export const ricVersion = '3.3.0';
export const ricCacheDir = join(
  process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
  'lbuild-test',
  `aws-lambda-ric-${ricVersion}`,
);
export const ricPackage = join(ricCacheDir, 'node_modules', 'aws-lambda-ric');

export function ricInstalled() {
  return existsSync(join(ricPackage, 'dist', 'rapid-client.node'));
}

export async function installRic() {
  mkdirSync(ricCacheDir, { recursive: true });
  writeFileSync(join(ricCacheDir, 'package.json'), '{"name":"lbuild-ric-cache","private":true}\n');
  const started = Date.now();
  await promisify(execFile)(
    'npm',
    ['install', '--no-audit', '--no-fund', `aws-lambda-ric@${ricVersion}`],
    { cwd: ricCacheDir, timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  console.log(
    `installed aws-lambda-ric ${ricVersion} in ${((Date.now() - started) / 1000).toFixed(0)} s (cached in ${ricCacheDir})`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url) && !ricInstalled()) await installRic();
