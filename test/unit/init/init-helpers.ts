/** Runs `lbuild init` (the library) on a private copy of a fixture and loads what it wrote. */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject, type ResolvedProject } from '../../../src/config/load.js';
import { initProject } from '../../../src/init/init-project.js';
import type { InitOptions, InitResult } from '../../../src/init/init-types.js';
import { fixturesDir } from '../../support/fixtures.js';

export function copyInitFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lbuild-init-${name}-`));
  cpSync(join(fixturesDir, 'init', name), dir, { recursive: true });
  return dir;
}

/** The result, and the project as `lbuild package` / `serve` would load the written file. */
export async function initFixture(
  name: string,
  options: InitOptions = {},
): Promise<{ dir: string; result: InitResult; project: ResolvedProject }> {
  const dir = copyInitFixture(name);
  const result = await initProject(dir, options);
  return { dir, result, project: loadProject(dir) };
}

/** The written config without $schema (a path that depends on where the copy lives). */
export function withoutSchema(result: InitResult): object {
  const { $schema: _schema, ...rest } = result.config as { $schema?: string };
  return rest;
}
