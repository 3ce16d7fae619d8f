/**
 * Node apps in a project's sources. What lbuild runs as is: an exported Lambda handler (a plain
 * one, or an Express/Fastify/Hono/Koa app wrapped by its Lambda adapter: serverless-http,
 * @codegenie/serverless-express, @fastify/aws-lambda, hono/aws-lambda) becomes an event function;
 * a server that only listens becomes a Lambda Web Function, which runs it unmodified on nodejs24.x.
 */
import { join } from 'node:path';
import { webRuntimeName } from '../config/resolved-project.js';
import type { AppCandidate } from './app-candidate.js';
import { readJson, sourceFiles, type SourceFile } from './source-files.js';

const frameworks = ['express', 'fastify', 'hono', 'koa'] as const;
/** Adapter packages and the call that makes a handler out of an app. */
const adapters: Array<{ pkg: string; call: string }> = [
  { pkg: 'serverless-http', call: 'serverless' },
  { pkg: '@codegenie/serverless-express', call: 'serverlessExpress' },
  { pkg: '@vendia/serverless-express', call: 'serverlessExpress' },
  { pkg: '@fastify/aws-lambda', call: 'awsLambdaFastify' },
  { pkg: 'hono/aws-lambda', call: 'handle' },
];

interface PackageJson {
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: { node?: string };
}

export function readPackageJson(root: string): PackageJson | undefined {
  const value = readJson(join(root, 'package.json'));
  return value && typeof value === 'object' ? (value as PackageJson) : undefined;
}

/** "src/lambda.js" → "src/lambda": the module part of a Node handler. */
const modulePath = (path: string) => path.replace(/\.(c|m)?js$/, '');

// `export const handler = ...`, `export async function handler(`, `exports.handler =`, `module.exports.handler =`
const exportedNames =
  /(?:^export\s+(?:const|let|var)\s+(\w+)\s*=|^export\s+(?:async\s+)?function\s*\*?\s*(\w+)\s*\(|^(?:module\.)?exports\.(\w+)\s*=)([^\n]*)/gm;

export function detectNodeApps(root: string): AppCandidate[] {
  const pkg = readPackageJson(root);
  const deps = { ...pkg?.dependencies, ...pkg?.devDependencies };
  const framework = frameworks.find((f) => f in deps);
  const files = sourceFiles(root, ['.js', '.mjs', '.cjs']);
  // The declared main file first: it is what the author calls the entry.
  const main = pkg?.main?.replace(/^\.\//, '');
  files.sort((a, b) => Number(b.path === main) - Number(a.path === main));
  return [
    ...files.flatMap((file) => handlersIn(file, framework)),
    ...files.flatMap((file) => serversIn(file, framework)),
  ];
}

function handlersIn(file: SourceFile, framework: string | undefined): AppCandidate[] {
  return [...file.text.matchAll(exportedNames)].flatMap((m): AppCandidate[] => {
    const name = m[1] ?? m[2] ?? m[3]!;
    const rest = m[4] ?? '';
    const adapter = adapters.find((a) => new RegExp(`\\b${a.call}\\s*\\(`).test(rest));
    // What follows `=` or `function name(`: a first parameter called event makes it a handler.
    const eventFirst = /^\s*(?:async\s+)?(?:function\s*\w*\s*\()?\(?\s*_?event\b/.test(rest);
    const named = /handler$/i.test(name);
    if (!adapter && !named && !eventFirst) return [];
    const what = adapter
      ? `${capitalized(framework ?? 'app')} through ${adapter.pkg}`
      : 'Lambda handler';
    return [
      {
        label: `${what} \`${name}\` in ${file.path}`,
        language: 'nodejs',
        fn: { handler: `${modulePath(file.path)}.${name}` },
        http: true,
        caveats: [],
      },
    ];
  });
}

/** A file that starts a server: .listen(...) on an app, or @hono/node-server's serve(...). */
function serversIn(file: SourceFile, framework: string | undefined): AppCandidate[] {
  if (!framework) return [];
  const listens = /\.listen\s*\(/.test(file.text) || /\bserve\s*\(\s*\{?\s*fetch/.test(file.text);
  const usesFramework = new RegExp(`['"]${framework}['"]|@hono/node-server`).test(file.text);
  if (!listens || !usesFramework) return [];
  const caveats = /AWS_LAMBDA_HTTP_ENDPOINT/.test(file.text)
    ? []
    : [
        `${file.path} does not read AWS_LAMBDA_HTTP_ENDPOINT: a web function must listen on it (0.0.0.0:3000 on Lambda), e.g. const [host, port] = process.env.AWS_LAMBDA_HTTP_ENDPOINT.split(':')`,
      ];
  return [
    {
      label: `${capitalized(framework)} server in ${file.path} (a Lambda Web Function)`,
      language: 'nodejs',
      fn: { type: 'web', entryPoint: file.path },
      http: false,
      runtime: webRuntimeName,
      caveats: [
        ...caveats,
        `web function: served on its own port by lbuild serve, not behind the API Gateway front; Lambda runs web functions on arm64 (set "architecture": "x86_64" to serve it here without QEMU)`,
      ],
    },
  ];
}

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
