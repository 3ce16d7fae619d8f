/**
 * Python apps in a project's sources: a Django project (manage.py naming its settings, a wsgi.py
 * beside them), Flask / FastAPI / Starlette app objects assigned at module level, and plain Lambda
 * handlers (def handler(event, context)). App objects run through lbuild's wsgi:/asgi: adapters,
 * so no Mangum or serverless-wsgi is needed; a handler the code already builds (Mangum) still works.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppCandidate } from './app-candidate.js';
import { readText, sourceFiles, type SourceFile } from './source-files.js';

/** "app/main.py" → "app.main"; "pkg/__init__.py" → "pkg". */
export function pythonModule(path: string): string {
  return path
    .replace(/\.py$/, '')
    .replace(/\/__init__$/, '')
    .split('/')
    .join('.');
}

const appObjects: Array<{ framework: string; adapter: 'wsgi' | 'asgi'; pattern: RegExp }> = [
  {
    framework: 'Flask',
    adapter: 'wsgi',
    pattern: /^(\w+)\s*(?::[^=\n]+)?=\s*(?:flask\.)?Flask\s*\(/gm,
  },
  {
    framework: 'FastAPI',
    adapter: 'asgi',
    pattern: /^(\w+)\s*(?::[^=\n]+)?=\s*(?:fastapi\.)?FastAPI\s*\(/gm,
  },
  {
    framework: 'Starlette',
    adapter: 'asgi',
    pattern: /^(\w+)\s*(?::[^=\n]+)?=\s*(?:\w+\.)?Starlette\s*\(/gm,
  },
];
/** A handler the code already wraps an app into (Mangum for ASGI, serverless_wsgi's handle_request). */
const wrappedHandler = /^(\w+)\s*=\s*(?:mangum\.)?Mangum\s*\(/gm;
const plainHandler = /^def\s+(\w+)\s*\(\s*(?:event|_event)\s*,\s*(?:context|_context)\s*\)/gm;
const factory = /^def\s+(create_app|make_app)\s*\(/m;

export function detectPythonApps(root: string): AppCandidate[] {
  const files = sourceFiles(root, ['.py']);
  return [
    ...djangoProject(root, files),
    ...files.flatMap((file) => appObjectsIn(file)),
    ...files.flatMap((file) => handlersIn(file)),
  ];
}

function appObjectsIn(file: SourceFile): AppCandidate[] {
  const module = pythonModule(file.path);
  const found = appObjects.flatMap(({ framework, adapter, pattern }) =>
    [...file.text.matchAll(pattern)].map((m): AppCandidate => ({
      label: `${framework} app \`${m[1]}\` in ${file.path}`,
      language: 'python',
      fn: { handler: `${adapter}:${module}.${m[1]}` },
      http: true,
      caveats: [],
    })),
  );
  const made = factory.exec(file.text);
  if (found.length === 0 && made && /\b(Flask|FastAPI|Starlette)\b/.test(file.text)) {
    // lbuild's adapters take an app object; a factory has to be called once at import.
    return [
      {
        label: `app factory ${made[1]}() in ${file.path}`,
        language: 'python',
        fn: { handler: `wsgi:${module}.app` },
        http: true,
        caveats: [
          `${file.path} builds its app in ${made[1]}(): add \`app = ${made[1]}()\` at module level (the handler wsgi:${module}.app expects it; asgi: for FastAPI)`,
        ],
      },
    ];
  }
  return found;
}

function handlersIn(file: SourceFile): AppCandidate[] {
  const module = pythonModule(file.path);
  const wrapped = [...file.text.matchAll(wrappedHandler)].map((m): AppCandidate => ({
    label: `Mangum handler \`${m[1]}\` in ${file.path}`,
    language: 'python',
    fn: { handler: `${module}.${m[1]}` },
    http: true,
    caveats: [],
  }));
  const plain = [...file.text.matchAll(plainHandler)].map((m): AppCandidate => ({
    label: `Lambda handler ${m[1]}(event, context) in ${file.path}`,
    language: 'python',
    fn: { handler: `${module}.${m[1]}` },
    http: true,
    caveats: [],
  }));
  return [...wrapped, ...plain];
}

/**
 * manage.py names the settings module; the WSGI module is the wsgi.py in the settings' package or
 * one above it (mysite/settings.py → mysite/wsgi.py; config/settings/base.py → config/wsgi.py).
 */
function djangoProject(root: string, files: SourceFile[]): AppCandidate[] {
  const manage = readText(join(root, 'manage.py'));
  const settings = manage && /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/.exec(manage)?.[1];
  return settings ? [djangoApp(root, settings, files)] : [];
}

/** The Django app of a settings module (manage.py's, or Zappa's django_settings). */
export function djangoApp(
  root: string,
  settings: string,
  files = sourceFiles(root, ['.py']),
): AppCandidate {
  const parts = settings.split('.');
  for (let depth = parts.length - 1; depth >= 1; depth--) {
    const pkg = parts.slice(0, depth);
    if (existsSync(join(root, ...pkg, 'wsgi.py')))
      return djangoCandidate(settings, `${pkg.join('.')}.wsgi`);
  }
  const wsgi = files.find((f) => f.path.endsWith('wsgi.py') && /get_wsgi_application/.test(f.text));
  if (wsgi) return djangoCandidate(settings, pythonModule(wsgi.path));
  return {
    ...djangoCandidate(settings, `${parts[0]}.wsgi`),
    caveats: [
      `no wsgi.py with get_wsgi_application() found: the handler assumes ${parts[0]}/wsgi.py (django-admin startproject makes it)`,
    ],
  };
}

function djangoCandidate(settings: string, wsgiModule: string): AppCandidate {
  return {
    label: `Django project (settings ${settings})`,
    language: 'python',
    fn: { handler: `wsgi:${wsgiModule}.application` },
    http: true,
    djangoSettings: settings,
    caveats: [],
  };
}
