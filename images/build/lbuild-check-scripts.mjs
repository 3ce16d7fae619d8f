// lbuild-check-scripts.mjs <scripts-log>: run in the project folder after `npm ci`. Prints, as JSON,
// every installed dependency with install-time scripts and every lifecycle script that ran (from
// lbuild-script-shell's log). lbuild compares the two on the host: npm 12 skips the scripts of
// dependencies its allowScripts policy does not cover, and ignore-scripts skips them all, without
// failing the install. Plain Node, no dependencies: it runs with the build image's node.
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const installEvents = ['preinstall', 'install', 'postinstall'];
const root = realpathSync(process.cwd());
// The lockfile npm ci installed from: where each package came from (npm matches allowScripts keys
// against its tarball URLs) and whether it is bundled inside another package. Not the hidden
// node_modules/.package-lock.json, which omit-lockfile-registry-resolved leaves without URLs.
const lockfile = ['npm-shrinkwrap.json', 'package-lock.json', 'node_modules/.package-lock.json']
  .map((f) => readJson(join(root, f)))
  .find(Boolean);
const locked = lockfile?.packages ?? {};

const packages = [];
const seen = new Set();
walk('');
const log = existsSync(process.argv[2] ?? '') ? readFileSync(process.argv[2], 'utf8') : '';
const ran = log
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [event, packageJson] = line.split('\t');
    return { event, path: relative(root, real(dirname(packageJson))) };
  });
process.stdout.write(`${JSON.stringify({ packages, ran })}\n`);

/** Every package under <location>/node_modules, scoped and nested, links followed once. */
function walk(location) {
  for (const child of children(join(location, 'node_modules'))) {
    const path = real(join(root, child));
    if (seen.has(path)) continue;
    seen.add(path);
    const manifest = readJson(join(path, 'package.json'));
    if (!manifest) continue;
    const scripts = installScripts(path, manifest);
    if (scripts.length > 0) {
      const lock = locked[child] ?? {};
      packages.push({
        path: relative(root, path),
        name: manifest.name ?? child.split('node_modules/').pop(),
        version: manifest.version ?? '',
        scripts,
        resolved: lock.resolved,
        bundled: lock.inBundle === true,
      });
    }
    walk(child);
  }
}

/** Locations (relative to the project) of the packages in one node_modules folder. */
function children(modules) {
  const found = [];
  for (const entry of entries(modules)) {
    if (entry.name.startsWith('.')) continue; // .bin, .package-lock.json, .cache
    if (!entry.name.startsWith('@')) found.push(join(modules, entry.name));
    else
      for (const scoped of entries(join(modules, entry.name)))
        found.push(join(modules, entry.name, scoped.name));
  }
  return found;
}

/** The install-time scripts npm would run: explicit ones, or the implicit `node-gyp rebuild`. */
function installScripts(path, manifest) {
  const scripts = installEvents.filter((event) => manifest.scripts?.[event]);
  const implicitGyp =
    !scripts.includes('preinstall') &&
    !scripts.includes('install') &&
    manifest.gypfile !== false &&
    existsSync(join(path, 'binding.gyp'));
  return implicitGyp
    ? installEvents.filter((event) => event === 'install' || scripts.includes(event))
    : scripts;
}

function entries(dir) {
  try {
    return readdirSync(join(root, dir), { withFileTypes: true }).filter(
      (e) => e.isDirectory() || e.isSymbolicLink(),
    );
  } catch {
    return [];
  }
}

function real(path) {
  try {
    return realpathSync(path);
  } catch {
    return path; // a package removed after its script ran (a failed optional dependency)
  }
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
