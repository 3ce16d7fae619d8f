import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A private copy of a fixture, so tests can edit files and leave .lbuild/ behind freely. */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lbuild-${name}-`));
  cpSync(join(fixturesDir, name), dir, { recursive: true });
  return dir;
}
