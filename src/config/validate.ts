/**
 * Validation of lbuild.json against the shipped JSON Schema. Errors name the JSON path
 * (functions.api.memorySize) and say what would be accepted, so the fix is obvious.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import type { ProjectConfig } from './types.js';

export const schemaPath = fileURLToPath(
  new URL('../../schema/lbuild.schema.json', import.meta.url),
);

let compiled: ReturnType<Ajv['compile']> | undefined;
function validator() {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
    compiled = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return compiled;
}

/** "/functions/api/memorySize" → "functions.api.memorySize"; keys that are not identifiers get brackets. */
export function toJsonPath(instancePath: string, extra?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  if (parts.length === 0) return '(root)';
  return parts
    .map((part, i) =>
      /^\d+$/.test(part)
        ? `[${part}]`
        : /^[A-Za-z_$][\w$-]*$/.test(part)
          ? `${i ? '.' : ''}${part}`
          : `["${part}"]`,
    )
    .join('');
}

interface Description {
  problem: string;
  hint: string;
  /** The offending key, when the error is about a key below the instance path. */
  key?: string;
}

type Params = Record<string, unknown>;

/** What each JSON Schema keyword's failure means in lbuild.json's words. */
const describers: Record<string, (params: Params, error: ErrorObject) => Description> = {
  additionalProperties: (params) => {
    const key = String(params.additionalProperty);
    return {
      key,
      problem: `unknown property "${key}"`,
      hint: 'Remove it or check its spelling against schema/lbuild.schema.json.',
    };
  },
  required: (params) => {
    const key = String(params.missingProperty);
    return { key, problem: 'is required', hint: `Add "${key}".` };
  },
  enum: (params) => {
    const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    return { problem: 'is not an accepted value', hint: `Use one of: ${allowed}.` };
  },
  type: (params) => ({
    problem: `must be ${params.type}`,
    hint: `Write a ${params.type} here.`,
  }),
  minimum: (params, error) => limitDescription(params, error),
  maximum: (params, error) => limitDescription(params, error),
  pattern: (params) => ({
    problem: `does not match ${params.pattern}`,
    hint: 'See the description of this field in schema/lbuild.schema.json.',
  }),
  propertyNames: (params) => ({
    problem: `has an invalid key "${String(params.propertyName)}"`,
    hint: 'Names may use letters, digits, "_" and "-" (environment variables: letters, digits, "_").',
  }),
  not: () => ({
    key: 'handler',
    problem: 'is not used by a web function',
    hint: 'Remove "handler": a web function starts its entryPoint (default index.js) with node.',
  }),
  'false schema': () => ({
    problem: 'applies to web functions only',
    hint: 'Add "type": "web" to this function, or remove the property.',
  }),
  minProperties: () => ({
    problem: 'must not be empty',
    hint: 'Define at least one function, e.g. "functions": { "api": { "handler": "app.handler" } }.',
  }),
};

function limitDescription(params: Params, error: ErrorObject): Description {
  return {
    problem: `must be ${error.keyword === 'minimum' ? '>=' : '<='} ${params.limit}`,
    hint: 'Lambda accepts memorySize 128-10240 MB, timeout 1-900 s (web functions 3-900 s), ephemeralStorage 512-10240 MB, maxConcurrencyPerEnvironment 1-128, maxEnvironments 2-10000; django.manageTimeout is 1-900 s too.',
  };
}

function describe(error: ErrorObject): { path: string; problem: string; hint: string } {
  const describer = Object.hasOwn(describers, error.keyword)
    ? describers[error.keyword]
    : undefined;
  const { key, problem, hint } = describer?.(error.params as Params, error) ?? {
    problem: error.message ?? 'is invalid',
    hint: 'See schema/lbuild.schema.json.',
  };
  return { path: toJsonPath(error.instancePath, key), problem, hint };
}

export function validateConfig(value: unknown, file?: string): ProjectConfig {
  const validate = validator();
  if (validate(value)) return value as ProjectConfig;
  // An "if" failure only says which branch applied; the branch's own error says what is wrong.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  // Report the deepest error first: it is the most specific one.
  const first = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  if (!first) return value as ProjectConfig;
  const { path, problem, hint } = describe(first);
  throw new ConfigError(path, problem, hint, file);
}
