/**
 * Compose through its CLI: `docker compose` (v2) first, `docker-compose` (v1, 1.29) as the
 * fallback. The generated file is the only one lbuild writes; a user's override file is added with
 * a second -f, never edited.
 */
import { execa } from 'execa';
import { EnvironmentError } from '../../errors.js';

export interface ComposeCli {
  command: string;
  baseArgs: string[];
  version: 1 | 2;
}

let detected: Promise<ComposeCli> | undefined;

export function detectCompose(): Promise<ComposeCli> {
  detected ??= (async () => {
    const v2 = await execa('docker', ['compose', 'version', '--short'], { reject: false });
    if (v2.exitCode === 0) return { command: 'docker', baseArgs: ['compose'], version: 2 };
    const v1 = await execa('docker-compose', ['version', '--short'], { reject: false });
    if (v1.exitCode === 0) return { command: 'docker-compose', baseArgs: [], version: 1 };
    throw new EnvironmentError(
      'Docker Compose is not installed (neither `docker compose` nor `docker-compose` answers)',
      {
        hint: 'Install the Compose plugin (Docker Desktop has it; on Debian/Ubuntu `apt-get install docker-compose-plugin` or `apt-get install docker-compose`).',
      },
    );
  })();
  return detected;
}

export interface ComposeProject {
  name: string;
  files: string[];
  cwd: string;
}

export function composeArgs(cli: ComposeCli, project: ComposeProject, args: string[]): string[] {
  return [...cli.baseArgs, '-p', project.name, ...project.files.flatMap((f) => ['-f', f]), ...args];
}

export async function runCompose(
  project: ComposeProject,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  const cli = await detectCompose();
  const result = await execa(cli.command, composeArgs(cli, project, args), {
    cwd: project.cwd,
    reject: false,
    all: true,
  });
  if (result.exitCode !== 0) {
    throw new EnvironmentError(
      `docker compose ${args.join(' ')} failed:\n${(result.all ?? '').split('\n').slice(-15).join('\n')}`,
      {
        hint: "See the Compose output above; `lbuild logs` shows the services' logs and `lbuild down` resets the stack.",
      },
    );
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** A compose command whose output goes straight to this terminal (logs -f); resolves when it ends. */
export async function runComposeAttached(project: ComposeProject, args: string[]): Promise<number> {
  const cli = await detectCompose();
  const result = await execa(cli.command, composeArgs(cli, project, args), {
    cwd: project.cwd,
    reject: false,
    stdio: 'inherit',
  });
  return result.exitCode ?? 1;
}

/** Follow a service's log lines (compose logs -f) until stop() is called. */
export async function followServiceLogs(
  project: ComposeProject,
  service: string,
  onLine: (line: string) => void,
): Promise<{ stop(): void }> {
  const cli = await detectCompose();
  const child = execa(
    cli.command,
    composeArgs(cli, project, ['logs', '-f', '--no-color', '--tail', '0', service]),
    { cwd: project.cwd, reject: false, buffer: false },
  );
  let partial = '';
  const onData = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    // Compose prefixes each line with "<container> | "; lbuild adds its own per-service prefix.
    for (const line of lines) if (line.trim()) onLine(line.replace(/^[^|]*\|\s?/, ''));
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return { stop: () => void child.kill() };
}
