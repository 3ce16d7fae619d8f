/**
 * The editor side of `--debug`: VS Code launch configurations that attach to each debugged
 * function with the right mappings (the code is /var/task in the container and the project's
 * source folder here), printed always and written into a launch.json on request.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import type { DebugTarget } from './debug-plan.js';

export const remoteRoot = '/var/task';

export type LaunchConfiguration = Record<string, unknown> & { name: string };

export interface LaunchJson {
  version: '0.2.0';
  configurations: LaunchConfiguration[];
}

/** `localRoot`: the folder whose files are /var/task in the worker (the package's sourceDir). */
export function launchConfigurations(
  targets: DebugTarget[],
  localRoot: string,
): LaunchConfiguration[] {
  return targets.map((t) =>
    t.protocol === 'debugpy'
      ? {
          name: `lbuild: attach to ${t.functionName} (debugpy)`,
          type: 'debugpy',
          request: 'attach',
          connect: { host: t.host, port: t.port },
          pathMappings: [{ localRoot, remoteRoot }],
          justMyCode: true,
        }
      : {
          name: `lbuild: attach to ${t.functionName} (Node)`,
          type: 'node',
          request: 'attach',
          address: t.host,
          port: t.port,
          localRoot,
          remoteRoot,
          // A hot reload replaces the worker: VS Code reattaches to the new one by itself.
          restart: true,
          skipFiles: ['<node_internals>/**'],
        },
  );
}

export function launchJson(configurations: LaunchConfiguration[]): LaunchJson {
  return { version: '0.2.0', configurations };
}

/**
 * Write the configurations into `file` (.vscode/launch.json): an existing file keeps its other
 * configurations, and ours replace those of the same name.
 */
export async function writeLaunchJson(
  file: string,
  configurations: LaunchConfiguration[],
): Promise<void> {
  let existing: LaunchConfiguration[] = [];
  if (existsSync(file)) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LaunchJson>;
      existing = Array.isArray(parsed.configurations) ? parsed.configurations : [];
    } catch (error) {
      throw new UserError(`${file} is not plain JSON (${(error as Error).message})`, {
        hint: 'launch.json files with comments cannot be merged: give --debug-config another file, or copy the configurations printed above into it.',
      });
    }
  }
  const ours = new Set(configurations.map((c) => c.name));
  const merged = [...existing.filter((c) => !ours.has(c.name)), ...configurations];
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(launchJson(merged), null, 2)}\n`);
}
