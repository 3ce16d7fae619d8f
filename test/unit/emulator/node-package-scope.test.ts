/**
 * A CommonJS handler in a folder inside a repository whose package.json says "type": "module": on
 * Lambda the zip has nothing above the task root, so it is CommonJS; a host process sees the
 * repository's package.json and Node loads it as ESM. The bootstrap cannot overrule Node, but it
 * says exactly why the handler then fails and what to do.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { fnDef } from './helpers.js';

let emu: Emulator;
const repo = mkdtempSync(join(tmpdir(), 'lbuild-scope-'));
const fnDir = join(repo, 'functions', 'api');

beforeAll(async () => {
  writeFileSync(join(repo, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(fnDir, { recursive: true });
  writeFileSync(join(fnDir, 'handler.js'), "exports.handler = async () => 'cjs';\n");
  emu = await startEmulator({
    codeDir: fnDir,
    functions: [fnDef('api', 'handler.handler', { runtimeName: 'nodejs20.x' })],
  });
});
afterAll(async () => {
  await emu?.close();
  rmSync(repo, { recursive: true, force: true });
});

test("a package.json above the function's folder that decides ESM is named, with the fix", async () => {
  const outcome = await emu.invoker.invoke({ functionName: 'api', payload: Buffer.from('{}') });
  expect(outcome.kind).not.toBe('succeeded');
  const warning = outcome.logs.find((line) => line.includes('lbuild bootstrap:'));
  expect(warning).toContain(
    `${join(repo, 'package.json')} (outside the function's folder ${fnDir}) says "type": "module"`,
  );
  expect(warning).toContain('Put a package.json with "type": "commonjs"');
});

test('with the fix (a package.json in the function folder) the same handler runs as CommonJS', async () => {
  writeFileSync(join(fnDir, 'package.json'), '{ "type": "commonjs" }\n');
  await emu.reloadCode();
  const outcome = await emu.invoker.invoke({ functionName: 'api', payload: Buffer.from('{}') });
  expect(outcome.kind).toBe('succeeded');
  expect(outcome.logs.some((line) => line.includes('lbuild bootstrap:'))).toBe(false);
});
