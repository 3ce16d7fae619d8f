import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadProject } from '../../config/load.js';
import { allowPreviewFlag } from '../../runtimes/lookup.js';
import { loadProjectFor } from '../load-project.js';
import { EnvironmentError } from '../../errors.js';
import { startStack } from '../../serve/stack.js';
import { readState, serveDir } from '../../serve/state-file.js';
import { onInterrupt } from '../../docker/cleanup.js';
import { streamLogs } from '../colored-logs.js';
import { reporterFor } from '../reporter-for.js';
import { runCommand } from '../run-command.js';

interface ServeFlags {
  stage?: string;
  port?: string;
  staticPort?: string;
  invokePort?: string;
  watch: boolean;
  allowPreview?: boolean;
  detach?: boolean;
  json?: boolean;
  verbose?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'run the app locally: API Gateway + Lambda workers + Postgres + static frontend, with hot reload',
    )
    .argument('[dir]', 'project folder', '.')
    .option('--stage <stage>', 'read .env.<stage> after .env')
    .option('--port <port>', 'API Gateway port (default api.port or 3000)')
    .option('--static-port <port>', 'frontend port (default frontend.port or 8080)')
    .option('--invoke-port <port>', 'Invoke API port (default API port + 1)')
    .option('--no-watch', 'no hot reload')
    .option(
      allowPreviewFlag,
      'accept a preview runtime (python3.15, nodejs26.x): not for production',
    )
    .option('-d, --detach', 'start in the background; stop with `lbuild down`')
    .option('--json', 'log lines as JSON; the ready summary as JSON')
    .option('-v, --verbose', 'show build output')
    .action(async (dir: string, flags: ServeFlags) => {
      if (flags.detach) return detach(dir, flags);
      await runCommand(false, async () => {
        const reporter = reporterFor(flags);
        const project = loadProjectFor(dir, { allowPreview: flags.allowPreview }, reporter);
        const stack = await startStack(project, {
          ...(flags.stage ? { stage: flags.stage } : {}),
          ...(flags.port ? { apiPort: Number(flags.port) } : {}),
          ...(flags.staticPort ? { staticPort: Number(flags.staticPort) } : {}),
          ...(flags.invokePort ? { invokePort: Number(flags.invokePort) } : {}),
          watch: flags.watch,
          reporter,
        });
        const summary = {
          api: stack.apiUrl,
          frontend: stack.staticUrl,
          invoke: stack.invokeUrl,
          database: stack.databaseUrl ? stack.mask(stack.databaseUrl) : undefined,
        };
        if (flags.json) process.stdout.write(`${JSON.stringify({ ready: true, ...summary })}\n`);
        process.stderr.write(
          [
            '',
            `✔ ${project.name} is running`,
            `  API        ${summary.api}`,
            ...(summary.frontend ? [`  frontend   ${summary.frontend}`] : []),
            `  invoke     ${summary.invoke}  (AWS SDK endpoint; \`lbuild invoke <fn>\`)`,
            ...(summary.database ? [`  database   ${summary.database}`] : []),
            '  Ctrl-C stops (the database volume is kept; `lbuild down --volumes` deletes it)',
            '',
          ].join('\n'),
        );
        const stopLogs = streamLogs(stack.emulator.logs, process.stderr, {
          json: flags.json ?? false,
          mask: stack.mask,
        });
        // Workers being removed on Ctrl-C would each log their end: not news to whoever pressed it.
        onInterrupt(stopLogs);
        // Runs until Ctrl-C/SIGTERM: the signal handler (run-command.ts) stops the stack through its
        // cleanup hook, removing the workers and stopping Compose, then exits.
        await new Promise<never>(() => {});
        return { result: { stopped: true } };
      });
    });
}

/** Re-run this command without --detach as a background process whose output goes to a log file. */
async function detach(dir: string, flags: ServeFlags): Promise<void> {
  await runCommand(flags.json ?? false, async () => {
    const project = loadProject(dir, { allowPreview: flags.allowPreview });
    await mkdir(serveDir(project.root), { recursive: true });
    const logFile = join(serveDir(project.root), 'serve.log');
    const out = openSync(logFile, 'a');
    const args = process.argv.slice(1).filter((a) => a !== '--detach' && a !== '-d');
    const child = spawn(process.execPath, args, {
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, LBUILD_SERVE_LOG: logFile },
    });
    child.unref();
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const state = readState(project.root);
      if (state?.ready && state.pid === child.pid) {
        return {
          result: state,
          summary: `✔ ${project.name} is running in the background (pid ${state.pid})\n  API ${state.apiUrl}${state.staticUrl ? `\n  frontend ${state.staticUrl}` : ''}\n  logs: lbuild logs -f; stop: lbuild down`,
        };
      }
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new EnvironmentError(`lbuild serve did not start in the background; see ${logFile}`, {
      hint: 'Run `lbuild serve` in the foreground to see the error.',
    });
  });
}
