/**
 * The file given to --from, read and recognised by its content: a SAM/CloudFormation template,
 * a serverless.yml, or Zappa settings (JSON or YAML, stages of settings).
 */
import { existsSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { parseCloudFormationYaml } from './cfn-yaml.js';
import { isSamTemplate } from './import-sam.js';
import { isServerless } from './import-serverless.js';
import { zappaStages } from './import-zappa.js';
import { readText } from './source-files.js';

export interface SourceFile {
  path: string;
  kind: 'zappa' | 'serverless' | 'sam';
  parsed: Record<string, unknown>;
}

/** The path as given (from the working folder), else inside the project folder. */
function locate(from: string, root: string): string {
  if (isAbsolute(from) || existsSync(from)) return resolve(from);
  if (existsSync(join(root, from))) return join(root, from);
  throw new UserError(`${from} does not exist`, {
    hint: 'Give the path of zappa_settings.json, serverless.yml or template.yaml (relative to this folder or to the project).',
  });
}

export function readSource(from: string, root: string): SourceFile {
  const path = locate(from, root);
  const name = basename(path);
  if (/^serverless\.(ts|js|cjs|mjs)$/.test(name) || name.endsWith('.toml'))
    throw new UserError(`${name}: lbuild init reads YAML and JSON only`, {
      hint: 'Print the configuration as YAML first (`serverless print > serverless.yml`, or convert zappa_settings.toml to JSON).',
    });
  const parsed = parseCloudFormationYaml(readText(path) ?? '', name);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UserError(`${name} holds no settings object`);
  const object = parsed as Record<string, unknown>;
  if (isSamTemplate(object)) return { path, kind: 'sam', parsed: object };
  if (isServerless(object)) return { path, kind: 'serverless', parsed: object };
  if (zappaStages(object).some((stage) => looksLikeZappaStage(object[stage])))
    return { path, kind: 'zappa', parsed: object };
  throw new UserError(`${name} is not a SAM template, a serverless.yml or Zappa settings`, {
    hint: 'SAM templates have Resources (and Transform: AWS::Serverless-2016-10-31), serverless.yml has service and provider, zappa_settings.json has stages with app_function.',
  });
}

function looksLikeZappaStage(value: unknown): boolean {
  const keys = Object.keys(value as object);
  return ['app_function', 'django_settings', 's3_bucket', 'project_name', 'events', 'extends'].some(
    (k) => keys.includes(k),
  );
}
