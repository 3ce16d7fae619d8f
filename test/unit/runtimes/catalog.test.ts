/** The runtime catalog as of late 2026, and what each lifecycle means for a user. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { schemaPath } from '../../../src/config/validate.js';
import { runtimeNames, runtimes } from '../../../src/runtimes/catalog.js';
import { assertRuntimeAllowed, findRuntime, runtimeWarning } from '../../../src/runtimes/lookup.js';
import { writeProject } from './write-project.js';

/** The hint of the error fn throws (and a failure if it throws none). */
function hintOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { hint: string }).hint;
  }
  throw new Error('expected an error');
}

describe('runtime catalog', () => {
  test('the JSON Schema enum is the catalog (and so the RuntimeName type), in the same order', () => {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
    expect(schema.definitions.runtime.enum).toEqual([...runtimeNames]);
  });

  test("Lambda's runtimes of late 2026 with their status, OS, glibc and package manager", () => {
    const table = Object.fromEntries(
      runtimes.map((r) => [r.name, `${r.status} ${r.os} ${r.glibc} ${r.packageManager}`]),
    );
    expect(table).toEqual({
      'python3.14': 'current Amazon Linux 2023 2.34 dnf',
      'python3.13': 'current Amazon Linux 2023 2.34 dnf',
      'python3.12': 'current Amazon Linux 2023 2.34 dnf',
      'python3.11': 'current Amazon Linux 2 2.26 yum',
      'python3.10': 'deprecated Amazon Linux 2 2.26 yum',
      'python3.9': 'deprecated Amazon Linux 2 2.26 yum',
      'python3.15': 'preview Amazon Linux 2023 2.34 dnf',
      'nodejs24.x': 'current Amazon Linux 2023 2.34 dnf',
      'nodejs22.x': 'current Amazon Linux 2023 2.34 dnf',
      'nodejs20.x': 'deprecated Amazon Linux 2023 2.34 dnf',
      'nodejs18.x': 'deprecated Amazon Linux 2 2.26 yum',
      'nodejs26.x': 'preview Amazon Linux 2023 2.34 dnf',
    });
  });

  test('images: official run and build images, preview tags for preview runtimes', () => {
    expect(findRuntime('python3.14')).toMatchObject({
      runImage: 'public.ecr.aws/lambda/python:3.14',
      buildImage: 'public.ecr.aws/sam/build-python3.14:latest',
    });
    expect(findRuntime('nodejs24.x').runImage).toBe('public.ecr.aws/lambda/nodejs:24');
    expect(findRuntime('python3.15').runImage).toBe('public.ecr.aws/lambda/python:3.15-preview');
    expect(findRuntime('nodejs26.x').runImage).toBe('public.ecr.aws/lambda/nodejs:26-preview');
  });

  test('stand-ins for every runtime a Debian release here ships, and none for the others', () => {
    const standIns = Object.fromEntries(
      runtimes
        .filter((r) => r.standIn)
        .map((r) => [r.name, `${r.standIn!.debian} ${r.standIn!.glibc} ${r.standIn!.source}`]),
    );
    expect(standIns).toEqual({
      'python3.14': 'forky 2.43 debian',
      'python3.13': 'trixie 2.41 debian',
      'python3.11': 'bookworm 2.36 debian',
      'python3.15': 'forky 2.43 debian',
      'nodejs24.x': 'forky 2.43 debian',
      'nodejs22.x': 'bookworm 2.36 nodejs-npm-package',
      'nodejs20.x': 'trixie 2.41 debian',
      'nodejs18.x': 'bookworm 2.36 debian',
    });
  });
});

describe('runtime lookup', () => {
  test('an unknown runtime lists the current ones first', () => {
    expect(() => findRuntime('python3.99')).toThrow('unknown runtime "python3.99"');
    expect(hintOf(() => findRuntime('nodejs16.x'))).toBe(
      'Current runtimes: python3.14, python3.13, python3.12, python3.11, nodejs24.x, nodejs22.x. ' +
        'Deprecated (still deployable for a while): python3.10, python3.9, nodejs20.x, nodejs18.x. ' +
        'Preview (with --allow-preview or "allowPreviewRuntimes": true): python3.15, nodejs26.x.',
    );
  });

  test('deprecated runtimes warn with their dates and the newest runtime of the language', () => {
    expect(runtimeWarning(findRuntime('python3.9'))).toBe(
      'python3.9 is deprecated since 2025-12-15 (no more security patches); creating functions on it is blocked from 2027-02-01, updating them from 2027-03-03. Move to python3.14.',
    );
    expect(runtimeWarning(findRuntime('nodejs20.x'))).toBe(
      'nodejs20.x is deprecated since 2026-04-30 (no more security patches); creating functions on it is blocked from 2027-02-01. Move to nodejs24.x.',
    );
    expect(runtimeWarning(findRuntime('python3.14'))).toBeUndefined();
    expect(runtimeWarning(findRuntime('nodejs22.x'))).toBeUndefined();
  });

  test('preview runtimes are refused unless asked for', () => {
    expect(() => assertRuntimeAllowed(findRuntime('python3.15'), false)).toThrow(
      'python3.15 is a preview runtime, not for production',
    );
    expect(() => assertRuntimeAllowed(findRuntime('nodejs26.x'), true)).not.toThrow();
    expect(() => assertRuntimeAllowed(findRuntime('nodejs24.x'), false)).not.toThrow();
    expect(runtimeWarning(findRuntime('nodejs26.x'))).toContain(
      'public.ecr.aws/lambda/nodejs:26-preview',
    );
  });
});

describe('projects on deprecated and preview runtimes', () => {
  test('a deprecated runtime loads with its warning, once however many functions use it', () => {
    const dir = writeProject({
      runtime: 'nodejs18.x',
      functions: { a: { handler: 'a.handler' }, b: { handler: 'b.handler' } },
    });
    expect(loadProject(dir).warnings).toEqual([runtimeWarning(findRuntime('nodejs18.x'))]);
    expect(loadProject(dir, { runtime: 'nodejs24.x' }).warnings).toEqual([]);
  });

  test('a preview runtime needs --allow-preview or "allowPreviewRuntimes": true', () => {
    const dir = writeProject({
      runtime: 'python3.15',
      functions: { api: { handler: 'app.handler' } },
    });
    expect(() => loadProject(dir)).toThrow('python3.15 is a preview runtime');
    expect(loadProject(dir, { allowPreview: true }).runtime.name).toBe('python3.15');
    const optedIn = writeProject({
      runtime: 'python3.15',
      allowPreviewRuntimes: true,
      functions: { api: { handler: 'app.handler' } },
    });
    expect(loadProject(optedIn).warnings[0]).toContain('python3.15 is a preview runtime');
  });

  test('lbuild.json with an unknown runtime names the accepted ones, newest first', () => {
    const dir = writeProject({
      runtime: 'python3.8',
      functions: { api: { handler: 'app.handler' } },
    });
    expect(hintOf(() => loadProject(dir))).toMatch(/^Use one of: "python3\.14", "python3\.13"/);
  });
});
