/** Which function `lbuild manage` runs in, and how the command starts (manage.py or python -m django). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { manageEntry } from '../../../src/manage/manage-entry.js';
import { pickManageFunction } from '../../../src/manage/pick-manage-function.js';

function project(functions: Record<string, unknown>, runtime = 'python3.11') {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-manage-'));
  writeFileSync(join(dir, 'lbuild.json'), JSON.stringify({ name: 'shop', runtime, functions }));
  return loadProject(dir);
}

describe('pickManageFunction', () => {
  it('takes the function named, else the wsgi: one, else the only one', () => {
    const shop = project({
      jobs: { handler: 'jobs.handler' },
      web: { handler: 'wsgi:mysite.wsgi.application' },
    });
    expect(pickManageFunction(shop, undefined).name).toBe('web');
    expect(pickManageFunction(shop, 'jobs').name).toBe('jobs');
    expect(pickManageFunction(project({ only: { handler: 'a.b' } }), undefined).name).toBe('only');
  });

  it('asks which one when it cannot tell, naming them', () => {
    const two = project({ a: { handler: 'a.h' }, b: { handler: 'b.h' } });
    expect(() => pickManageFunction(two, undefined)).toThrow(
      'shop has 2 functions and none with a wsgi: handler: say whose environment the command runs in',
    );
    expect(() => pickManageFunction(two, 'c')).toThrow('no function named "c" in shop');
  });

  it('refuses a Node function', () => {
    expect(() =>
      pickManageFunction(project({ api: { handler: 'index.handler' } }, 'nodejs20.x'), undefined),
    ).toThrow('lbuild manage runs Django management commands, but function api runs nodejs20.x');
  });
});

describe('manageEntry', () => {
  const settings = { DJANGO_SETTINGS_MODULE: 'mysite.settings' };

  it("runs the package's manage.py when there is one, else python -m django", () => {
    expect(manageEntry('web', {}, true, ['migrate']).argv).toEqual([
      'python3',
      'manage.py',
      'migrate',
    ]);
    expect(manageEntry('web', settings, false, ['migrate', '--noinput'])).toEqual({
      argv: ['python3', '-m', 'django', 'migrate', '--noinput'],
      settingsModule: 'mysite.settings',
    });
  });

  it('without manage.py, needs a settings module and says where to set it', () => {
    expect(() => manageEntry('web', {}, false, ['migrate'])).toThrow(
      'no Django settings module for function web, and the package has no manage.py',
    );
  });
});
