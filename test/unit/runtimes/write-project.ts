import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway project folder with this lbuild.json. */
export function writeProject(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-runtime-'));
  writeFileSync(join(dir, 'lbuild.json'), JSON.stringify(config));
  return dir;
}
