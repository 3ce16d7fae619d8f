/**
 * Runtimes named by imported files (zappa_settings.json, serverless.yml, template.yaml) or hinted by
 * a project (.python-version, engines.node), mapped onto the catalog. Old names (python3.8,
 * nodejs16.x) become the nearest runtime lbuild knows at or above them, and the note says so:
 * moving up a minor version is what Lambda's own deprecation asks for.
 */
import {
  newestRuntime,
  runtimes,
  type Language,
  type RuntimeInfo,
  type RuntimeName,
} from '../runtimes/catalog.js';
import type { Notes } from './notes.js';

const versionParts = (version: string) => version.split('.').map(Number);

function compareVersions(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The oldest stable runtime of the language at or above `version`, else the newest current one. */
export function nearestRuntime(language: Language, version: string): RuntimeInfo {
  const stable = runtimes
    .filter((r) => r.language === language && r.status !== 'preview')
    .sort((a, b) => compareVersions(a.version, b.version));
  return stable.find((r) => compareVersions(r.version, version) >= 0) ?? newestRuntime(language);
}

/** "python3.8" → python 3.8, "nodejs16.x" → nodejs 16; other families (java, provided) → undefined. */
export function parseRuntimeName(
  name: string,
): { language: Language; version: string } | undefined {
  const python = /^python(\d+\.\d+)$/.exec(name);
  if (python) return { language: 'python', version: python[1]! };
  const node = /^nodejs(\d+)\.x$/.exec(name);
  if (node) return { language: 'nodejs', version: node[1]! };
  return undefined;
}

/**
 * An imported runtime as lbuild will use it, with a note when it changed or has a lifecycle
 * warning; undefined (and a not-mapped line) for a language lbuild does not package.
 */
export function importedRuntime(
  name: string,
  where: string,
  notes: Notes,
): RuntimeName | undefined {
  const parsed = parseRuntimeName(name);
  if (!parsed) {
    notes.skip(`${where}: runtime ${name} is not one lbuild packages (Python and Node.js only)`);
    return undefined;
  }
  const exact = runtimes.find((r) => r.name === name);
  const runtime =
    exact && exact.status !== 'preview' ? exact : nearestRuntime(parsed.language, parsed.version);
  const changed =
    runtime.name === name
      ? ''
      : ` ${name} (${exact ? 'a preview runtime' : 'no longer a Lambda runtime'}; ${runtime.name} is the nearest lbuild knows)`;
  notes.map(`runtime ${runtime.name} ← ${where}${changed}${lifecycleNote(runtime)}`);
  return runtime.name;
}

/** A version a project asks for ("3.11.4", "^20.3", ">=18") as the runtime that fits it best. */
export function runtimeForVersion(language: Language, spec: string): RuntimeInfo | undefined {
  const match = language === 'python' ? /(\d+\.\d+)/.exec(spec) : /(\d+)/.exec(spec);
  return match ? nearestRuntime(language, match[1]!) : undefined;
}

/** " (deprecated since ...: move to ...)" for a deprecated runtime, so the choice is informed. */
export function lifecycleNote(runtime: RuntimeInfo): string {
  if (runtime.status !== 'deprecated') return '';
  return ` (deprecated since ${runtime.lifecycle.deprecation}: move to ${newestRuntime(runtime.language).name})`;
}
