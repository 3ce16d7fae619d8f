/**
 * npm 12 runs a dependency's install scripts only when the root package.json's allowScripts covers
 * it (npm 11.16+ only warns), and ignore-scripts skips them all. Either way `npm ci` succeeds and
 * the zip silently lacks native builds (bcrypt, better-sqlite3, sharp). lbuild leaves the policy to
 * npm and checks the outcome: the build container reports which installed packages have install
 * scripts and which scripts ran (images/build/lbuild-check-scripts.mjs), and this compares the two.
 * The report is kept beside the cached tree, so a cache hit is checked like a fresh install.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { InstallScriptsSkippedError } from '../errors.js';
import type { DependencyCache } from './dependency-cache.js';

/** What lbuild-check-scripts.mjs prints; paths are relative to the project folder. */
export interface InstallScriptReport {
  packages: Array<{
    path: string;
    name: string;
    version: string;
    /** preinstall / install / postinstall, including the implicit `node-gyp rebuild` as install. */
    scripts: string[];
    /** From npm's hidden lockfile: the registry tarball URL, or a file:/git source. */
    resolved?: string;
    bundled: boolean;
  }>;
  /** Lifecycle scripts that ran, as lbuild-script-shell logged them. */
  ran: Array<{ path: string; event: string }>;
}

export interface SkippedScripts {
  name: string;
  version: string;
  path: string;
  /** The install-time scripts that did not run. */
  scripts: string[];
  /** The allowScripts key that lets npm run them; undefined for bundled packages, which npm never runs. */
  allowKey: string | undefined;
}

const registryTarball = /^https?:\/\/[^/]+\/.+\/-\/[^/]+-\d/;

export function skippedInstallScripts(report: InstallScriptReport): SkippedScripts[] {
  const ran = new Set(report.ran.map((r) => `${r.path}\0${r.event}`));
  return report.packages
    .map((pkg) => ({
      name: pkg.name,
      version: pkg.version,
      path: pkg.path,
      scripts: pkg.scripts.filter((event) => !ran.has(`${pkg.path}\0${event}`)),
      allowKey: allowScriptsKey(pkg),
    }))
    .filter((pkg) => pkg.scripts.length > 0)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The key npm 12 matches a package by (@npmcli/arborist's script-allowed.js): registry packages by
 * name@version taken from the lockfile's tarball URL, or by name alone when the lockfile has no URLs
 * (omit-lockfile-registry-resolved: npm then refuses version pins); local and git ones by their
 * source (a linked folder `a` as `file:a`). Bundled dependencies never run their scripts.
 */
export function allowScriptsKey(pkg: InstallScriptReport['packages'][number]): string | undefined {
  if (pkg.bundled) return undefined;
  if (!pkg.resolved) return pkg.name;
  if (registryTarball.test(pkg.resolved)) return `${pkg.name}@${pkg.version}`;
  return /^[a-z][a-z+]*:/i.test(pkg.resolved) ? pkg.resolved : `file:${pkg.resolved}`;
}

/** Fail on skipped install scripts, unless the project said it wants them skipped. */
export function checkInstallScripts(
  report: InstallScriptReport,
  allowSkipped: boolean,
  warn: (message: string) => void,
): void {
  const skipped = skippedInstallScripts(report);
  if (skipped.length === 0) return;
  const names = skipped.map((s) => `${s.name}@${s.version}`).join(', ');
  if (allowSkipped) {
    warn(
      `npm skipped the install scripts of ${names} (package.allowSkippedInstallScripts): their native builds are not in the zip`,
    );
    return;
  }
  throw installScriptsError(skipped);
}

export function installScriptsError(skipped: SkippedScripts[]): InstallScriptsSkippedError {
  const lines = skipped.map(
    (s) =>
      `  ${s.name}@${s.version} (${s.scripts.join(', ')}${s.allowKey ? '' : '; bundled inside another package, and npm never runs those'})`,
  );
  const allowable = skipped.filter((s) => s.allowKey !== undefined);
  const fix =
    allowable.length === 0
      ? []
      : [
          `Let npm run them: add to package.json (npm 12 reads it; npm 11.16+ only warns)`,
          `  "allowScripts": { ${allowable.map((s) => `"${s.allowKey}": true`).join(', ')} }`,
          `or run \`npm install-scripts approve ${[...new Set(allowable.map((s) => s.name))].join(' ')}\`, and remove ignore-scripts if an .npmrc or installArgs sets it.`,
        ];
  return new InstallScriptsSkippedError(
    `npm skipped the install scripts of ${skipped.length} ${skipped.length === 1 ? 'dependency' : 'dependencies'}, so their native builds would be missing on Lambda:\n${lines.join('\n')}`,
    {
      hint: [
        ...fix,
        'To package without them anyway, set package.allowSkippedInstallScripts: true in lbuild.json.',
      ].join('\n'),
      details: { skipped },
    },
  );
}

const reportPath = (cache: DependencyCache, key: string) =>
  cache.pathFor(key).replace(/\.tar$/, '.scripts.json');

/** Written before the tree itself, so a cached npm tree always has its report. */
export async function storeInstallScriptReport(
  cache: DependencyCache,
  key: string,
  report: InstallScriptReport,
): Promise<void> {
  await mkdir(cache.dir, { recursive: true });
  await writeFile(reportPath(cache, key), `${JSON.stringify(report, null, 2)}\n`);
}

/** Trees cached before lbuild checked install scripts have none: those count as a cache miss. */
export function hasInstallScriptReport(cache: DependencyCache, key: string): boolean {
  return existsSync(reportPath(cache, key));
}

export async function readInstallScriptReport(
  cache: DependencyCache,
  key: string,
): Promise<InstallScriptReport> {
  return JSON.parse(await readFile(reportPath(cache, key), 'utf8')) as InstallScriptReport;
}
