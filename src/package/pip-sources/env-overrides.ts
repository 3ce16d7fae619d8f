/**
 * pip reads its environment after its configuration files, so PIP_FIND_LINKS replaces a pip.conf's
 * find-links instead of adding to it (likewise the index variables). lbuild forwards both to the
 * build container as pip would see them, which lets a machine-wide variable hide the project's
 * pip.conf; the install then fails on a requirement the pip.conf's source has. Say so up front.
 */
import { relative } from 'node:path';
import type { PipSources } from './find-sources.js';
import { pipConfigSources } from './pip-config.js';
import type { SourceOption } from './requirement-line.js';

const variableFor: Record<SourceOption, string> = {
  'find-links': 'PIP_FIND_LINKS',
  'index-url': 'PIP_INDEX_URL',
  'extra-index-url': 'PIP_EXTRA_INDEX_URL',
};

export function envOverrideWarnings(
  root: string,
  sources: PipSources,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const warnings: string[] = [];
  for (const config of sources.configs) {
    const options = new Set(pipConfigSources(config.text).map((source) => source.option));
    for (const option of options) {
      const variable = variableFor[option];
      const value = env[variable];
      if (!value) continue;
      const where = config.role === 'project' ? relative(root, config.hostPath) : config.hostPath;
      warnings.push(
        `${variable}=${value} in your environment replaces ${option} of ${where}, as pip does: unset ${variable} to install from the pip.conf's source`,
      );
    }
  }
  return warnings;
}
