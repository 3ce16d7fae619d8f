/**
 * Offline and corporate package sources, end to end on a real engine: a wheel built here with the
 * host's pip, named by `--find-links ./wheels` in requirements.txt, by PIP_FIND_LINKS (a folder
 * outside the project) or by the project's pip.conf (the Debian wheel folder), installs with
 * --no-index in the build container; the zip holds the package and not the wheel folder; a rebuilt
 * wheel reinstalls.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import type Docker from 'dockerode';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { packageProject } from '../../../src/package/package-project.js';
import { ensureDebianWheels } from '../../../scripts/debian-wheels.mjs';
import { dockerGate, pythonGate, requireDocker } from '../../support/gates.js';
import { listZip, readZipEntry } from '../../support/zip-inspect.js';

const gate = await dockerGate();
const python = await pythonGate(['setuptools', 'wheel', 'pip']);

/** A one-module distribution `greeting` 1.0 whose hello() returns `message`, built by real pip. */
async function buildGreetingWheel(into: string, message: string): Promise<string> {
  const src = mkdtempSync(join(tmpdir(), 'lbuild-greeting-src-'));
  mkdirSync(join(src, 'greeting'));
  writeFileSync(
    join(src, 'greeting', '__init__.py'),
    `def hello():\n    return ${JSON.stringify(message)}\n`,
  );
  writeFileSync(
    join(src, 'pyproject.toml'),
    '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n' +
      '[project]\nname = "greeting"\nversion = "1.0"\n',
  );
  mkdirSync(into, { recursive: true });
  for (const old of readdirSync(into)) rmSync(join(into, old));
  await execa(python.python!, [
    '-m',
    'pip',
    'wheel',
    '--no-deps',
    '--no-build-isolation',
    '--no-index',
    '--wheel-dir',
    into,
    src,
  ]);
  rmSync(src, { recursive: true, force: true });
  const [wheel] = readdirSync(into);
  return join(into, wheel!);
}

function project(requirements: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-sources-'));
  const all: Record<string, string> = {
    'lbuild.json': JSON.stringify({
      name: 'sources',
      runtime: 'python3.11',
      functions: { api: { handler: 'app.handler' } },
    }),
    'app.py': 'import greeting\n\ndef handler(event, context):\n    return greeting.hello()\n',
    'requirements.txt': requirements,
    ...files,
  };
  for (const [name, text] of Object.entries(all)) writeFileSync(join(dir, name), text);
  return dir;
}

const names = async (zip: string) => (await listZip(zip)).map((e) => e.name);

describe.skipIf(gate.skipReason ?? python.skipReason)('package sources for offline builds', () => {
  let docker: Docker;
  // The machine's own pip settings (this one sets PIP_FIND_LINKS) would be shipped too, and an
  // environment variable outranks pip.conf: each test says what it uses.
  const saved = {
    PIP_FIND_LINKS: process.env.PIP_FIND_LINKS,
    PIP_INDEX_URL: process.env.PIP_INDEX_URL,
  };
  beforeAll(async () => {
    docker = await requireDocker();
  });
  beforeEach(() => {
    for (const name of Object.keys(saved)) delete process.env[name];
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  });

  it('--find-links ./wheels: installs the wheel, leaves the folder out, reinstalls when it changes', async () => {
    const dir = project('--no-index\n--find-links ./wheels\ngreeting==1.0\n');
    await buildGreetingWheel(join(dir, 'wheels'), 'hello v1');
    const build = () => packageProject(loadProject(dir), { imageSource: 'offline', docker });

    const first = await build();
    expect(first.cache).toBe('miss');
    const listing = await names(first.zip);
    expect(listing).toEqual(
      expect.arrayContaining(['app.py', 'greeting/__init__.py', 'greeting-1.0.dist-info/METADATA']),
    );
    expect(listing.filter((n) => n.startsWith('wheels'))).toEqual([]);
    expect((await readZipEntry(first.zip, 'greeting/__init__.py')).toString()).toContain(
      'hello v1',
    );

    expect((await build()).cache).toBe('hit');

    // Same name and version, new contents: only the wheel's bytes say it changed.
    await buildGreetingWheel(join(dir, 'wheels'), 'hello v2');
    const third = await build();
    expect(third.cache).toBe('miss');
    expect((await readZipEntry(third.zip, 'greeting/__init__.py')).toString()).toContain(
      'hello v2',
    );
  }, 240_000);

  it('PIP_FIND_LINKS naming a folder outside the project is copied into the build', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'lbuild-corp-wheels-'));
    await buildGreetingWheel(outside, 'from the corporate folder');
    const dir = project('--no-index\ngreeting==1.0\n');
    process.env.PIP_FIND_LINKS = outside;

    const report = await packageProject(loadProject(dir), { imageSource: 'offline', docker });
    expect((await readZipEntry(report.zip, 'greeting/__init__.py')).toString()).toContain(
      'from the corporate folder',
    );
    expect((await names(report.zip)).filter((n) => n.endsWith('.whl'))).toEqual([]);
  }, 240_000);

  it('PIP_INDEX_URL=file:// naming a simple index outside the project is copied in', async () => {
    const index = join(mkdtempSync(join(tmpdir(), 'lbuild-corp-index-')), 'simple');
    const wheel = await buildGreetingWheel(join(index, 'greeting'), 'from the file index');
    // A PEP 503 page per project, as a mirror tool writes them (pip reads index.html of a folder).
    writeFileSync(
      join(index, 'greeting', 'index.html'),
      `<a href="${basename(wheel)}">${basename(wheel)}</a>\n`,
    );
    const dir = project('greeting==1.0\n');
    process.env.PIP_INDEX_URL = pathToFileURL(index).href;

    const report = await packageProject(loadProject(dir), { imageSource: 'offline', docker });
    expect((await readZipEntry(report.zip, 'greeting/__init__.py')).toString()).toContain(
      'from the file index',
    );
  }, 240_000);

  it("the project's pip.conf points pip at a wheel folder: Flask from Debian's wheels", async () => {
    const { folder, wheels } = await ensureDebianWheels('bookworm');
    const flask = wheels.find((w) => w.startsWith('flask-'))!.split('-')[1];
    const dir = project(`flask==${flask}\n`, {
      'pip.conf': `[global]\nno-index = true\nfind-links = ${folder}\n`,
      'app.py': 'import flask\n\ndef handler(event, context):\n    return flask.__name__\n',
    });

    const report = await packageProject(loadProject(dir), { imageSource: 'offline', docker });
    const listing = await names(report.zip);
    expect(listing).toEqual(
      expect.arrayContaining([
        'flask/__init__.py',
        `flask-${flask}.dist-info/METADATA`,
        'werkzeug/__init__.py',
        'jinja2/__init__.py',
      ]),
    );
    expect(listing).not.toContain('pip.conf');
  }, 240_000);

  it('a --find-links folder that does not exist stops the build with the line that names it', async () => {
    const dir = project('--no-index\n--find-links ./wheelz\ngreeting==1.0\n');
    await expect(
      packageProject(loadProject(dir), { imageSource: 'offline', docker }),
    ).rejects.toMatchObject({
      code: 'user-error',
      message: expect.stringContaining(
        'requirements.txt line 2: --find-links ./wheelz does not exist',
      ),
    });
  });
});
