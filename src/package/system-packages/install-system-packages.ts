/**
 * Install package.systemPackages in the build container, before the dependencies, so pip's and
 * node-gyp's compilers find their headers and libraries (and the library bundling after the
 * install finds the libraries to copy). Runs as root whatever the image's user: installing OS
 * packages needs it, and the container is thrown away afterwards.
 */
import { createHash } from 'node:crypto';
import type { WorkContainer } from '../../docker/container.js';
import { BuildError } from '../../errors.js';
import type { Reporter } from '../../log.js';
import { tarBuffer } from '../tar-files.js';
import { installScript } from './install-script.js';
import type { SystemPackagesSelection } from './selection.js';
import { unknownPackages } from './unknown-packages.js';

const scriptPath = '/var/lbuild/system-packages.sh';

const toolName = { apt: 'apt-get', yum: 'yum', dnf: 'dnf' } as const;

/** Hash of the script: a changed script must not reuse trees installed by the old one. */
export function installScriptSha256(): string {
  return createHash('sha256').update(installScript).digest('hex');
}

export async function installSystemPackages(
  container: WorkContainer,
  selection: SystemPackagesSelection,
  reporter: Reporter,
): Promise<void> {
  await container.putArchive(
    await tarBuffer([
      { name: scriptPath.slice(1), content: Buffer.from(installScript), executable: true },
    ]),
    '/',
  );
  const tail: string[] = [];
  const result = await container.exec(
    ['sh', scriptPath, selection.manager, ...selection.packages],
    {
      user: 'root',
      onLine: (line) => {
        if (line.startsWith('lbuild: ')) reporter.info(`  ${line.slice('lbuild: '.length)}`);
        else reporter.toolOutput(line);
        tail.push(line);
        if (tail.length > 40) tail.shift();
      },
    },
  );
  if (result.exitCode === 0) return;
  throw installError(selection, result.exitCode, result.output, tail);
}

function installError(
  selection: SystemPackagesSelection,
  exitCode: number,
  output: string,
  tail: string[],
): BuildError {
  const { manager, configKey } = selection;
  const unknown = unknownPackages(output, selection.packages);
  const details = { manager, configKey, exitCode, unknownPackages: unknown, outputTail: tail };
  if (unknown.length > 0) {
    const names = unknown.map((name) => `"${name}"`).join(', ');
    return new BuildError(
      `${toolName[manager]} does not know the system package${unknown.length > 1 ? 's' : ''} ${names} (${configKey})`,
      {
        hint: `Check the name${unknown.length > 1 ? 's' : ''} for ${manager}: package names differ between apt (Debian, the offline stand-ins), yum (Amazon Linux 2) and dnf (Amazon Linux 2023), e.g. libpq-dev / postgresql-devel / postgresql15-devel. Name them per manager: "systemPackages": { "apt": [...], "yum": [...], "dnf": [...] }.`,
        details,
      },
    );
  }
  return new BuildError(
    `installing the system packages ${selection.packages.join(' ')} with ${toolName[manager]} failed in the build container (exit ${exitCode}):\n${tail
      .slice(-20)
      .map((l) => `  ${l}`)
      .join('\n')}`,
    {
      hint: `See the ${toolName[manager]} output above (--verbose shows all of it); check ${configKey} and that the build container reaches its package repositories (HTTP(S)_PROXY is forwarded).`,
      details,
    },
  );
}
