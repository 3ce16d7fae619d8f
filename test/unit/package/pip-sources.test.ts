/**
 * Package sources on a real folder tree: which files go to the build container, where, which values
 * point at them there, what stays out of the zip, and what a missing source says.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { dependencyInputs } from '../../../src/package/dependency-inputs.js';
import { envOverrideWarnings } from '../../../src/package/pip-sources/env-overrides.js';
import { findPipSources } from '../../../src/package/pip-sources/find-sources.js';
import { shipPipSources } from '../../../src/package/pip-sources/ship-sources.js';
import { sourceOnlyPaths } from '../../../src/package/pip-sources/source-only-paths.js';

const requirements = { kind: 'requirements', path: 'requirements.txt' } as const;

function write(path: string, text: string) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

describe('pip package sources', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    const base = mkdtempSync(join(tmpdir(), 'lbuild-pip-sources-'));
    root = join(base, 'app');
    outside = join(base, 'shared-wheels');
    write(join(root, 'wheels', 'greeting-1.0-py3-none-any.whl'), 'wheel');
    write(join(root, 'vendor', 'pkg', 'setup.py'), '');
    write(join(outside, 'corp-2.0-py3-none-any.whl'), 'corp wheel');
    write(join(root, 'app.py'), '');
  });

  it('ships project sources with the inputs and keeps only-source paths out of the zip', () => {
    write(
      join(root, 'requirements.txt'),
      '--no-index\n--find-links ./wheels\n-r sub/more.txt\n./vendor/pkg\ngreeting==1.0\n',
    );
    // Relative to the file that names it, as pip reads it.
    write(join(root, 'sub', 'more.txt'), '-f ../wheels\n');
    const pip = findPipSources(root, requirements, [], {});
    expect(pip.requirementFiles).toEqual(['requirements.txt', 'sub/more.txt']);
    expect(dependencyInputs(root, requirements, pip)).toEqual([
      'requirements.txt',
      'sub/more.txt',
      'vendor/pkg',
      'wheels',
    ]);
    // The local package folder may also be imported as code; the wheel folder is only a source.
    expect(sourceOnlyPaths(root, pip)).toEqual(['wheels']);
  });

  it('copies sources outside the project in and points every host path at the copy', async () => {
    write(
      join(root, 'requirements.txt'),
      `--find-links ${outside}\n--find-links ./wheels\ncorp @ file://${outside}/corp-2.0-py3-none-any.whl\n`,
    );
    write(join(root, 'pip.conf'), `[global]\nfind-links = wheels\nno-index = true\n`);
    const env = { PIP_FIND_LINKS: `${outside} https://wheels.corp/` };
    const pip = findPipSources(root, requirements, ['--find-links', outside], env);
    const shipped = await shipPipSources(root, pip, ['--find-links', outside], env);

    expect(shipped.files.map((f) => f.name)).toEqual(['var/lbuild/config/pip/pip.conf']);
    expect(shipped.hostFiles.map((f) => [f.name, f.hostPath])).toEqual([
      [
        'var/lbuild/sources/0-shared-wheels/corp-2.0-py3-none-any.whl',
        join(outside, 'corp-2.0-py3-none-any.whl'),
      ],
      [
        'var/lbuild/sources/1-corp-2.0-py3-none-any.whl',
        join(outside, 'corp-2.0-py3-none-any.whl'),
      ],
    ]);
    expect(shipped.requirementTexts.get('requirements.txt')).toBe(
      '--find-links /var/lbuild/sources/0-shared-wheels\n--find-links ./wheels\n' +
        'corp @ file:///var/lbuild/sources/1-corp-2.0-py3-none-any.whl\n',
    );
    expect(shipped.env).toEqual({
      PIP_FIND_LINKS: '/var/lbuild/sources/0-shared-wheels https://wheels.corp/',
      XDG_CONFIG_HOME: '/var/lbuild/config',
    });
    expect(shipped.installArgs).toEqual(['--find-links', '/var/lbuild/sources/0-shared-wheels']);
    // pip.conf's relative path is read from its own folder and named absolutely in the container.
    expect(shipped.files[0]!.content.toString()).toBe(
      '[global]\nfind-links = /var/lbuild/src/wheels\nno-index = true\n',
    );
    // The project's pip.conf may hold index credentials: not packaged.
    expect(sourceOnlyPaths(root, pip)).toEqual(['pip.conf', 'wheels']);
  });

  it('keys on the contents of outside sources', async () => {
    write(join(root, 'requirements.txt'), 'corp==2.0\n');
    const env = { PIP_FIND_LINKS: outside };
    const key = async () =>
      (await shipPipSources(root, findPipSources(root, requirements, [], env), [], env)).sha256;
    const before = await key();
    expect(await key()).toBe(before);
    write(join(outside, 'corp-2.0-py3-none-any.whl'), 'rebuilt corp wheel');
    expect(await key()).not.toBe(before);
  });

  it('says which line names a source that does not exist, and relative to what', () => {
    write(join(root, 'requirements.txt'), 'flask\n--find-links ./wheelz\n');
    const error = (() => {
      try {
        findPipSources(root, requirements, [], {});
      } catch (e) {
        return e;
      }
    })() as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain(
      'requirements.txt line 2: --find-links ./wheelz does not exist',
    );
    expect(error.hint).toContain('relative to the requirements file');
  });

  it('reports a missing PIP_FIND_LINKS folder and PIP_CONFIG_FILE', () => {
    write(join(root, 'requirements.txt'), 'flask\n');
    expect(() =>
      findPipSources(root, requirements, [], { PIP_FIND_LINKS: '/nonexistent/wheels' }),
    ).toThrow(/PIP_FIND_LINKS: --find-links \/nonexistent\/wheels does not exist/);
    expect(() =>
      findPipSources(root, requirements, [], { PIP_CONFIG_FILE: '/nonexistent/pip.conf' }),
    ).toThrow(UserError);
  });
  it("warns when PIP_FIND_LINKS in the environment replaces the project pip.conf's find-links", () => {
    write(join(root, 'requirements.txt'), 'greeting==1.0\n');
    write(join(root, 'pip.conf'), '[global]\nno-index = true\nfind-links = ./wheels\n');
    const env = { PIP_FIND_LINKS: outside };
    const pip = findPipSources(root, requirements, [], env);
    expect(envOverrideWarnings(root, pip, env)).toEqual([
      `PIP_FIND_LINKS=${outside} in your environment replaces find-links of pip.conf, as pip does: unset PIP_FIND_LINKS to install from the pip.conf's source`,
    ]);
    expect(envOverrideWarnings(root, pip, {})).toEqual([]);
  });
});
