/**
 * Every local package source a Python build reads, wherever it is named: the requirements files
 * (following -r/-c), lbuild.json's installArgs, the PIP_FIND_LINKS / PIP_INDEX_URL /
 * PIP_EXTRA_INDEX_URL variables, and the pip configuration files lbuild ships (a pip.conf in the
 * project, and the file PIP_CONFIG_FILE names). These are the things a user of an offline or
 * corporate setup points pip at, and each has to reach the build container.
 */
import { existsSync, readFileSync } from 'node:fs';
import { devNull } from 'node:os';
import { dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import type { DependencyFile } from '../../config/dependency-file.js';
import { pipConfigSources } from './pip-config.js';
import { logicalLines, parseRequirementLine, type SourceOption } from './requirement-line.js';
import { resolveRef, type SourceRef } from './source-ref.js';

/** The project's own pip configuration, read as the build's user-level pip.conf. */
export const projectPipConfig = 'pip.conf';

export interface PipConfigFile {
  /** project: the project's pip.conf; env: the file PIP_CONFIG_FILE names. */
  role: 'project' | 'env';
  hostPath: string;
  text: string;
}

export interface PipSources {
  /** Requirement files read, relative to the project root, the dependency file first. */
  requirementFiles: string[];
  refs: SourceRef[];
  configs: PipConfigFile[];
}

/** A build that names no package sources (and every npm build). */
export const noPipSources: PipSources = { requirementFiles: [], refs: [], configs: [] };

const envSources: [string, SourceOption][] = [
  ['PIP_FIND_LINKS', 'find-links'],
  ['PIP_INDEX_URL', 'index-url'],
  ['PIP_EXTRA_INDEX_URL', 'extra-index-url'],
];

export function findPipSources(
  root: string,
  file: DependencyFile,
  installArgs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): PipSources {
  if (file.kind === 'npm') return noPipSources;
  const found: PipSources = { requirementFiles: [], refs: [], configs: [] };
  if (file.kind === 'requirements') readRequirements(root, file.path, found);

  const args = parseRequirementLine(installArgs.join(' '));
  for (const { option, value } of args.sources)
    push(found, resolveRef({ kind: 'install-args' }, option, value, [root]));

  for (const [name, option] of envSources)
    for (const value of (env[name] ?? '').split(/\s+/).filter(Boolean))
      push(found, resolveRef({ kind: 'env', name }, option, value, [process.cwd()]));

  const configs: [PipConfigFile['role'], string | undefined][] = [
    [
      'project',
      existsSync(join(root, projectPipConfig)) ? join(root, projectPipConfig) : undefined,
    ],
    ['env', env.PIP_CONFIG_FILE === devNull ? undefined : env.PIP_CONFIG_FILE],
  ];
  for (const [role, path] of configs) {
    if (!path) continue;
    const hostPath = resolve(path);
    if (!existsSync(hostPath))
      throw new UserError(`PIP_CONFIG_FILE names ${path}, which does not exist`, {
        hint: `Point PIP_CONFIG_FILE at an existing pip configuration file, or unset it (PIP_CONFIG_FILE=${devNull} turns pip's configuration files off).`,
      });
    const text = readFileSync(hostPath, 'utf8');
    found.configs.push({ role, hostPath, text });
    for (const { option, value } of pipConfigSources(text))
      push(
        found,
        resolveRef({ kind: 'config', file: hostPath }, option, value, [dirname(hostPath)]),
      );
  }
  return found;
}

/** An included file's path relative to the project root, as written relative to its includer. */
function projectPath(root: string, includer: string, include: string): string {
  return isAbsolute(include)
    ? relative(root, include)
    : normalize(join(dirname(includer), include));
}

function push(found: PipSources, ref: SourceRef | undefined): void {
  if (ref) found.refs.push(ref);
}

/** A requirements file and those it includes; `top`'s folder is where pip runs (its cwd). */
function readRequirements(root: string, file: string, found: PipSources, top = file): void {
  if (found.requirementFiles.includes(file)) return;
  if (file.startsWith('..'))
    throw new UserError(`requirements file ${file} lies outside the project`, {
      hint: 'Move it into the project folder so it can be sent to the build container.',
    });
  const full = join(root, file);
  if (!existsSync(full))
    throw new UserError(`requirements file ${file} does not exist`, {
      hint: `Create it, or fix the -r/-c line that names it (relative to the file that includes it).`,
    });
  found.requirementFiles.push(file);
  const bases = [dirname(full), dirname(join(root, top))];
  for (const { line, number } of logicalLines(readFileSync(full, 'utf8'))) {
    const origin = { kind: 'requirements', file, line: number } as const;
    const parsed = parseRequirementLine(line);
    for (const include of parsed.includes)
      readRequirements(root, projectPath(root, file, include), found, top);
    for (const { option, value } of parsed.sources)
      push(found, resolveRef(origin, option, value, bases));
    for (const token of parsed.packages) push(found, resolveRef(origin, 'package', token, bases));
  }
}
