// Local wheel folders made from Debian's python3-* packages, for THIS REPOSITORY's tests and
// examples only: PyPI is unreachable on the machines they run on, and a zip needs real frameworks
// in it (Lambda's run image has none). Real users install from PyPI; lbuild itself never uses this.
//
// For each Debian release an offline stand-in uses (bookworm for python3.11, trixie for 3.13,
// forky for 3.14/3.15), a container of that release's toolchain image (whose apt points at this
// machine's mirror) apt-installs the packages below and debian-wheels.py turns each installed
// distribution into a wheel. The wheels come out as a tar on stdout (no bind mount, so a remote
// engine works too) into wheelFolder(release), which is reused while the package list, the release
// and the converter are unchanged.
//
//   node scripts/debian-wheels.mjs [--release bookworm|trixie|forky ...]   (npm run build first)
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../dist/images/cache-dir.js';
import { toolchainImage } from '../dist/images/offline-plan.js';
import { runtimes } from '../dist/runtimes/catalog.js';

/** Flask, Django and FastAPI stacks with what they need; apt adds the rest of their Depends. */
export const debianPythonPackages = [
  'python3-flask',
  'python3-werkzeug',
  'python3-jinja2',
  'python3-markupsafe',
  'python3-itsdangerous',
  'python3-click',
  'python3-blinker',
  'python3-psycopg2',
  'python3-django',
  'python3-asgiref',
  'python3-sqlparse',
  'python3-fastapi',
  'python3-starlette',
  'python3-anyio',
  'python3-sniffio',
  'python3-idna',
  'python3-pydantic',
  'python3-typing-extensions',
];
/** What debian-wheels.py itself needs (to read requirement specifiers); it becomes a wheel too. */
const converterPackages = ['python3-packaging'];
const aptPackages = [...debianPythonPackages, ...converterPackages];

const arch = 'x86_64';
const converter = fileURLToPath(new URL('./debian-wheels.py', import.meta.url));
const manifestName = 'wheels.json';

/** @typedef {import('../dist/runtimes/catalog.js').DebianRelease} DebianRelease */

/** The Debian releases the Python stand-ins are built on. */
export const wheelReleases = /** @type {DebianRelease[]} */ ([
  ...new Set(
    runtimes.flatMap((r) => (r.language === 'python' && r.standIn ? [r.standIn.debian] : [])),
  ),
]);

/** Where the wheels of one release live: the one place that says so. */
export const wheelFolder = (/** @type {DebianRelease} */ release) =>
  join(cacheDir(), 'wheels', `${release}-${arch}`);

/** What the folder's wheels are made from: a change to any of it makes them again. */
const cacheKey = (/** @type {DebianRelease} */ release) =>
  createHash('sha256')
    .update(JSON.stringify({ release, arch, packages: aptPackages }))
    .update(readFileSync(converter))
    .digest('hex');

/** The wheel file names, when the folder holds a complete set for this key. */
function cachedWheels(/** @type {string} */ folder, /** @type {string} */ key) {
  try {
    const manifest = JSON.parse(readFileSync(join(folder, manifestName), 'utf8'));
    if (manifest.key !== key) return undefined;
    /** @type {string[]} */
    const wheels = manifest.wheels;
    return wheels.every((w) => existsSync(join(folder, w))) ? wheels : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The wheel folder of a release, made if missing or stale.
 * @param {DebianRelease} release
 * @returns {Promise<{ release: DebianRelease, folder: string, wheels: string[], cached: boolean, seconds: number }>}
 */
export async function ensureDebianWheels(release) {
  const started = Date.now();
  const folder = wheelFolder(release);
  const key = cacheKey(release);
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  const present = cachedWheels(folder, key);
  if (present) return { release, folder, wheels: present, cached: true, seconds: seconds() };

  // Made beside the folder and renamed into place, so a reader never sees half a set.
  const scratch = `${folder}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const script = [
    'set -e',
    'cat > /tmp/debian-wheels.py',
    'apt-get update -qq >&2',
    `DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${aptPackages.join(' ')} </dev/null >&2`,
    'python3 /tmp/debian-wheels.py /out >&2',
    'tar -C /out -c .',
  ].join('\n');
  try {
    await execa(
      'docker',
      ['run', '--rm', '-i', toolchainImage(release, arch), 'sh', '-c', script],
      {
        input: readFileSync(converter),
        stderr: 'pipe',
      },
    ).pipe('tar', ['-x', '-C', scratch]);
    const wheels = (await execa('ls', [scratch])).stdout
      .split('\n')
      .filter((name) => name.endsWith('.whl'))
      .sort();
    if (wheels.length === 0) throw new Error(`no wheels came out for Debian ${release}`);
    writeFileSync(join(scratch, manifestName), JSON.stringify({ key, release, wheels }, null, 2));
    rmSync(folder, { recursive: true, force: true });
    renameSync(scratch, folder);
    return { release, folder, wheels, cached: false, seconds: seconds() };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `--release a --release b` from the command line, or every release the stand-ins use. */
function releasesFromArgs(/** @type {string[]} */ args) {
  /** @type {DebianRelease[]} */
  const chosen = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i] === '--release' ? args[++i] : undefined;
    if (!value || !wheelReleases.includes(/** @type {DebianRelease} */ (value)))
      throw new Error(`usage: debian-wheels.mjs [--release ${wheelReleases.join('|')} ...]`);
    chosen.push(/** @type {DebianRelease} */ (value));
  }
  return chosen.length ? chosen : wheelReleases;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await Promise.all(
    releasesFromArgs(process.argv.slice(2)).map(ensureDebianWheels),
  );
  for (const { release, folder, wheels, cached, seconds } of results) {
    console.error(
      `▸ Debian ${release} wheels ${cached ? 'present' : 'made'} in ${seconds} s: ${folder}`,
    );
    for (const wheel of wheels) console.log(join(folder, wheel));
  }
}
