/**
 * Writes lbuild.json: `$schema` first (a path from the project to the schema this lbuild ships, so
 * an editor completes and checks it), keys in the README's order, validated with the loader's own
 * validator before anything touches the disk. An existing file is replaced only when asked.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { configFileName } from '../config/load.js';
import type { ProjectConfig } from '../config/types.js';
import { schemaPath, validateConfig } from '../config/validate.js';
import { UserError } from '../errors.js';

const keyOrder: Array<keyof ProjectConfig> = [
  'name',
  'runtime',
  'architecture',
  'functions',
  'package',
  'frontend',
  'database',
  'api',
  'environment',
  'django',
];

export function schemaReference(root: string): string {
  const path = relative(root, schemaPath).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/** The config as it will be written: $schema and ordered keys, checked against the schema. */
export function finalConfig(
  root: string,
  config: ProjectConfig,
): ProjectConfig & { $schema: string } {
  const ordered: Record<string, unknown> = { $schema: schemaReference(root) };
  for (const key of keyOrder) if (config[key] !== undefined) ordered[key] = config[key];
  // A bug here would write a file lbuild then refuses: check with the loader's validator first.
  return validateConfig(
    ordered,
    `${configFileName} (as lbuild init would write it)`,
  ) as ProjectConfig & {
    $schema: string;
  };
}

export function assertWritable(root: string, force: boolean): string {
  const file = join(root, configFileName);
  if (existsSync(file) && !force)
    throw new UserError(`${file} already exists`, {
      hint: 'Pass --force to replace it, or --dry-run to see what lbuild init would write.',
    });
  return file;
}

export function writeConfig(file: string, config: ProjectConfig): void {
  writeFileSync(file, formatConfig(config));
}

const plainValue = String.raw`(?:"(?:[^"\\]|\\.)*"|-?[\d.eE+]+|true|false|null)`;
const shortList = new RegExp(
  String.raw`\[\n\s+(${plainValue}(?:,\n\s+${plainValue})*)\n\s*\]`,
  'g',
);

/** Two-space JSON with short lists of plain values on one line, as a person (or prettier) writes it. */
export function formatConfig(config: ProjectConfig): string {
  const json = JSON.stringify(config, null, 2).replace(shortList, (whole, items: string) => {
    const inline = `[${items.split(/,\n\s+/).join(', ')}]`;
    return inline.length <= 80 ? inline : whole;
  });
  return `${json}\n`;
}
