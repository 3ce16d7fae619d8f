/**
 * `lbuild init` without --from: find the app in the folder (Django, Flask, FastAPI/Starlette,
 * Express/Fastify/Hono/Koa through an adapter or as a web function, plain handlers), ask which one
 * when there are several, and describe it as lbuild.json.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sanitizeName } from '../config/load.js';
import type { FunctionConfig, ProjectConfig } from '../config/types.js';
import { UserError } from '../errors.js';
import { newestRuntime, type Language, type RuntimeName } from '../runtimes/catalog.js';
import { everyPath, type AppCandidate } from './app-candidate.js';
import { completeConfig } from './complete-config.js';
import { detectNodeApps, readPackageJson } from './detect-node-app.js';
import { detectPythonApps } from './detect-python-app.js';
import type { Notes } from './notes.js';
import { lifecycleNote, runtimeForVersion } from './runtime-mapping.js';
import { readText } from './source-files.js';

export async function detectProject(root: string, notes: Notes): Promise<ProjectConfig> {
  const candidates = [...detectPythonApps(root), ...detectNodeApps(root)];
  if (candidates.length === 0)
    throw new UserError(
      `found no app in ${root}: no Django project, Flask/FastAPI/Starlette app, Express/Fastify/Hono/Koa server or Lambda handler`,
      {
        hint: 'Run lbuild init in the folder of your app, import a deployment file with --from (zappa_settings.json, serverless.yml, template.yaml), or write lbuild.json by hand (README: Configuration).',
      },
    );
  const labels = candidates.map((c) => c.label);
  const label = await notes.choose({
    question: 'Which app should lbuild run?',
    options: labels,
    default: labels[0]!,
  });
  const app = candidates[labels.indexOf(label)]!;
  const name = app.fn.type === 'web' ? 'web' : 'api';
  const fn: FunctionConfig = { ...app.fn, ...(app.http ? { routes: everyPath } : {}) };
  notes.map(`functions.${name} ← ${app.label}${fn.handler ? ` (handler ${fn.handler})` : ''}`);
  if (fn.routes)
    notes.map(`functions.${name}.routes ${fn.routes.join(', ')} ← every path goes to the app`);
  const config: ProjectConfig = {
    name: sanitizeName(basename(root)),
    runtime: projectRuntime(root, app, notes),
    functions: { [name]: fn },
  };
  if (app.djangoSettings) {
    config.django = { settingsModule: app.djangoSettings };
    notes.map(`django.settingsModule ${app.djangoSettings} ← manage.py`);
  }
  for (const other of candidates.filter((c) => c !== app))
    notes.skip(
      `also found ${other.label}: add it under "functions" if it is a Lambda function too`,
    );
  for (const caveat of app.caveats) notes.skip(caveat);
  completeConfig(root, config, app.language, notes);
  return config;
}

/** What the app needs, else what the project pins (.python-version, engines.node), else the newest. */
function projectRuntime(root: string, app: AppCandidate, notes: Notes): RuntimeName {
  if (app.runtime) {
    notes.map(`runtime ${app.runtime} ← Lambda runs web functions on ${app.runtime} only`);
    return app.runtime;
  }
  const pinned = pinnedVersion(root, app.language);
  const runtime = pinned && runtimeForVersion(app.language, pinned.version);
  if (runtime) {
    notes.map(
      `runtime ${runtime.name} ← ${pinned.file} (${pinned.version})${lifecycleNote(runtime)}`,
    );
    return runtime.name;
  }
  const newest = newestRuntime(app.language);
  notes.map(
    `runtime ${newest.name} ← the newest current ${app.language === 'python' ? 'Python' : 'Node.js'} runtime (nothing in the project pins a version; --runtime picks another)`,
  );
  return newest.name;
}

function pinnedVersion(
  root: string,
  language: Language,
): { file: string; version: string } | undefined {
  const files =
    language === 'python' ? ['.python-version', 'runtime.txt'] : ['.nvmrc', '.node-version'];
  for (const file of files) {
    const text = existsSync(join(root, file)) ? readText(join(root, file))?.trim() : undefined;
    if (text) return { file, version: text };
  }
  const engines = language === 'nodejs' ? readPackageJson(root)?.engines?.node : undefined;
  return engines ? { file: 'package.json engines.node', version: engines } : undefined;
}
