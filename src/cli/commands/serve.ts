import type { Command } from 'commander';
import { loadProject } from '../../config/load.js';
import { defaultApiPort, defaultStaticPort } from '../../config/resolved-project.js';
import { allowPreviewFlag } from '../../runtimes/lookup.js';
import { loadProjectFor } from '../load-project.js';
import { startStack, type RunningStack } from '../../serve/stack.js';
import { startDetached } from '../../serve/detach.js';
import { onInterrupt } from '../../docker/cleanup.js';
import { streamLogs } from '../colored-logs.js';
import { reporterFor } from '../reporter-for.js';
import { runCommand } from '../run-command.js';
import { addDebugOptions, debugRequest, debugSummary, type DebugFlags } from '../debug-flags.js';
import { launchJson, writeLaunchJson } from '../../debug/launch-config.js';

interface ServeFlags extends DebugFlags {
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
  const command = program
    .command('serve')
    .description(
      'run the app locally: API Gateway + Lambda workers + Postgres + static frontend, with hot reload',
    )
    .argument('[dir]', 'project folder', '.')
    .option('--stage <stage>', 'read .env.<stage> after .env')
    .option('--port <port>', `API Gateway port (default api.port or ${defaultApiPort})`)
    .option('--static-port <port>', `frontend port (default frontend.port or ${defaultStaticPort})`)
    .option('--invoke-port <port>', 'Invoke API port (default API port + 1)')
    .option('--no-watch', 'no hot reload')
    .option(
      allowPreviewFlag,
      'accept a preview runtime (python3.15, nodejs26.x): not for production',
    )
    .option('-d, --detach', 'start in the background; stop with `lbuild down`')
    .option('--json', 'log lines as JSON; the ready summary as JSON')
    .option('-v, --verbose', 'show build output');
  addDebugOptions(command, true).action(async (dir: string, flags: ServeFlags) =>
    flags.detach ? detach(dir, flags) : serveInForeground(dir, flags),
  );
}

async function serveInForeground(dir: string, flags: ServeFlags): Promise<void> {
  await runCommand(false, async () => {
    const reporter = reporterFor(flags);
    const project = loadProjectFor(dir, { allowPreview: flags.allowPreview }, reporter);
    const debug = debugRequest(flags);
    const stack = await startStack(project, {
      ...(debug ? { debug } : {}),
      ...(flags.stage ? { stage: flags.stage } : {}),
      ...(flags.port ? { apiPort: Number(flags.port) } : {}),
      ...(flags.staticPort ? { staticPort: Number(flags.staticPort) } : {}),
      ...(flags.invokePort ? { invokePort: Number(flags.invokePort) } : {}),
      watch: flags.watch,
      reporter,
    });
    if (stack.debug && flags.debugConfig)
      await writeLaunchJson(flags.debugConfig, stack.debug.configurations);
    printReady(project.name, stack, flags.json ?? false, flags.debugConfig);
    const stopLogs = streamLogs(stack.emulator.logs, process.stderr, {
      // A detached serve writes its log for `lbuild logs` to read back: one JSON event per line.
      json: (flags.json ?? false) || process.env.LBUILD_SERVE_LOG !== undefined,
      mask: stack.mask,
    });
    // Workers being removed on Ctrl-C would each log their end: not news to whoever pressed it.
    onInterrupt(stopLogs);
    // Runs until Ctrl-C/SIGTERM: the signal handler (run-command.ts) stops the stack through its
    // cleanup hook, removing the workers and stopping Compose, then exits.
    await new Promise<never>(() => {});
    return { result: { stopped: true } };
  });
}

/** The URLs of the running stack: a JSON line on stdout with --json, a summary on stderr always. */
function printReady(
  projectName: string,
  stack: RunningStack,
  json: boolean,
  debugConfig: string | undefined,
): void {
  const { debug } = stack;
  const summary = {
    api: stack.apiUrl,
    frontend: stack.staticUrl,
    invoke: stack.invokeUrl,
    database: stack.databaseUrl ? stack.mask(stack.databaseUrl) : undefined,
    functionUrls: stack.functionUrls,
    web: stack.webUrls,
    ...(debug
      ? { debug: { targets: debug.targets, launch: launchJson(debug.configurations) } }
      : {}),
  };
  if (json) process.stdout.write(`${JSON.stringify({ ready: true, ...summary })}\n`);
  process.stderr.write(
    [
      '',
      `✔ ${projectName} is running`,
      `  API        ${summary.api}`,
      ...(summary.frontend ? [`  frontend   ${summary.frontend}`] : []),
      ...Object.entries(summary.web).map(
        ([name, url]) => `  web        ${url}  (web function ${name})`,
      ),
      `  invoke     ${summary.invoke}  (AWS SDK endpoint; \`lbuild invoke <fn>\`)`,
      ...(summary.database ? [`  database   ${summary.database}`] : []),
      ...functionUrlLines(summary.functionUrls),
      ...(debug ? debugSummary(debug.notes, debug.configurations, debugConfig) : []),
      '  Ctrl-C stops (the database volume is kept; `lbuild down --volumes` deletes it)',
      '',
    ].join('\n'),
  );
}

function functionUrlLines(urls: Record<string, string> | undefined): string[] {
  return Object.entries(urls ?? {}).map(([name, url]) => `  function URL ${name}: ${url}`);
}

/** Re-run this command without --detach as a background process whose output goes to a log file. */
async function detach(dir: string, flags: ServeFlags): Promise<void> {
  await runCommand(flags.json ?? false, async () => {
    const project = loadProject(dir, { allowPreview: flags.allowPreview });
    const args = process.argv.slice(1).filter((a) => a !== '--detach' && a !== '-d');
    const state = await startDetached(project, args);
    return {
      result: state,
      summary: [
        `✔ ${project.name} is running in the background (pid ${state.pid})`,
        `  API ${state.apiUrl}`,
        ...(state.staticUrl ? [`  frontend ${state.staticUrl}`] : []),
        ...Object.entries(state.webUrls ?? {}).map(([name, url]) => `  web ${url} (${name})`),
        ...functionUrlLines(state.functionUrls),
        '  logs: lbuild logs -f; stop: lbuild down',
      ].join('\n'),
    };
  });
}
