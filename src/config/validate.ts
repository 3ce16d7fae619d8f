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

function describe(error: ErrorObject): { path: string; problem: string; hint: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return {
        path: toJsonPath(error.instancePath, key),
        problem: `unknown property "${key}"`,
        hint: 'Remove it or check its spelling against schema/lbuild.schema.json.',
      };
    }
    case 'required': {
      const key = String(params.missingProperty);
      return {
        path: toJsonPath(error.instancePath, key),
        problem: 'is required',
        hint: `Add "${key}".`,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return {
        path: toJsonPath(error.instancePath),
        problem: 'is not an accepted value',
        hint: `Use one of: ${allowed}.`,
      };
    }
    case 'type':
      return {
        path: toJsonPath(error.instancePath),
        problem: `must be ${params.type}`,
        hint: `Write a ${params.type} here.`,
      };
    case 'minimum':
    case 'maximum':
      return {
        path: toJsonPath(error.instancePath),
        problem: `must be ${error.keyword === 'minimum' ? '>=' : '<='} ${params.limit}`,
        hint: 'Lambda accepts memorySize 128-10240 MB, timeout 1-900 s, ephemeralStorage 512-10240 MB.',
      };
    case 'pattern':
      return {
        path: toJsonPath(error.instancePath),
        problem: `does not match ${params.pattern}`,
        hint: 'See the description of this field in schema/lbuild.schema.json.',
      };
    case 'propertyNames':
      return {
        path: toJsonPath(error.instancePath),
        problem: `has an invalid key "${String(params.propertyName)}"`,
        hint: 'Names may use letters, digits, "_" and "-" (environment variables: letters, digits, "_").',
      };
    case 'minProperties':
      return {
        path: toJsonPath(error.instancePath),
        problem: 'must not be empty',
        hint: 'Define at least one function, e.g. "functions": { "api": { "handler": "app.handler" } }.',
      };
    default:
      return {
        path: toJsonPath(error.instancePath),
        problem: error.message ?? 'is invalid',
        hint: 'See schema/lbuild.schema.json.',
      };
  }
}

export function validateConfig(value: unknown, file?: string): ProjectConfig {
  const validate = validator();
  if (validate(value)) return value as ProjectConfig;
  const errors = validate.errors ?? [];
  // Report the deepest error first: it is the most specific one.
  const first = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  if (!first) return value as ProjectConfig;
  const { path, problem, hint } = describe(first);
  throw new ConfigError(path, problem, hint, file);
}
