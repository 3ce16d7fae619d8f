/**
 * The environment a local function sees: `.env`, then `.env.<stage>`, then the config's
 * `environment` with `${env:VAR}` read from the host or those files. Values that look secret are
 * masked wherever lbuild prints them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';

/** KEY=value lines; `export ` prefixes, quotes and # comments as dotenv does. */
export function parseDotenv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    values[match[1]!] = value;
  }
  return values;
}

export function loadDotenvFiles(
  root: string,
  stage: string | undefined,
): { values: Record<string, string>; files: string[] } {
  const names = ['.env', ...(stage ? [`.env.${stage}`] : [])];
  const values: Record<string, string> = {};
  const files: string[] = [];
  for (const name of names) {
    const file = join(root, name);
    if (!existsSync(file)) continue;
    Object.assign(values, parseDotenv(readFileSync(file, 'utf8')));
    files.push(file);
  }
  return { values, files };
}

/** Replace ${env:VAR} (and ${env:VAR, default}) using the dotenv values, then the host's. */
export function substituteEnv(
  environment: Record<string, string>,
  sources: { dotenv: Record<string, string>; host: NodeJS.ProcessEnv },
  jsonPathPrefix: string,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) {
    result[key] = value.replace(
      /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?:,\s*([^}]*))?\}/g,
      (_whole, name: string, fallback: string | undefined) => {
        const found = sources.dotenv[name] ?? sources.host[name] ?? fallback;
        if (found === undefined) {
          throw new ConfigError(
            `${jsonPathPrefix}.${key}`,
            `refers to \${env:${name}}, which is not set`,
            `Set ${name} in .env (or .env.<stage>) or in your shell, or give a default: \${env:${name}, value}.`,
          );
        }
        return found;
      },
    );
  }
  return result;
}

const secretName = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE|CREDENTIAL)/i;

/** Mask values of secret-looking variables (and passwords inside URLs) in a line of output. */
export function secretMasker(environment: Record<string, string>): (text: string) => string {
  const secrets = Object.entries(environment)
    .filter(([key, value]) => secretName.test(key) && value.length >= 4)
    .map(([, value]) => value)
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let masked = text.replace(/(\w+:\/\/[^:/\s]+:)([^@\s]+)(@)/g, '$1****$3');
    for (const secret of secrets) masked = masked.split(secret).join('****');
    return masked;
  };
}
