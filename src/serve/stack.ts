/**
 * `lbuild serve`: Postgres through Compose (health-gated), the package built, container workers on
 * the Compose network, the API Gateway front, the Invoke API and the static host, then hot reload.
 * The emulator and the static host run in this process: the watcher talks to them directly, and no
 * container needs the Docker socket.
 *
 * Each phase is one function (stack-database.ts, stack-servers.ts, stack-watch.ts) that defers its
 * own undo on the stack's Teardown, so stopping undoes exactly what started, in reverse.
 */
import type { ResolvedProject } from '../config/resolved-project.js';
import { connectEngine } from '../docker/engine.js';
import { onCleanup } from '../docker/cleanup.js';
import { silentReporter } from '../log.js';
import { LogSink, type Emulator } from '../emulator/index.js';
import { imageSourceFromEnv } from '../runtimes/images.js';
import type { ComposeProject } from './compose/compose-cli.js';
import { composeFor, databaseFor } from './compose/compose-for.js';
import { composeProjectName } from './compose/stack-file.js';
import type { ServeOptions, StackContext } from './stack-context.js';
import { runDatabaseInit, startDatabase } from './stack-database.js';
import { stackEnvironment } from './stack-environment.js';
import { assertStackPortsFree, stackPorts, type StackPorts } from './stack-ports.js';
import { allocateUrlPorts } from './url-ports.js';
import {
  packageForServe,
  startApiGateway,
  startFunctionUrls,
  stackNetwork,
  startStaticHost,
  startWorkers,
} from './stack-servers.js';
import { startWebPhase, webUrls } from './stack-web.js';
import { watchForReloads, type ReloadListener } from './stack-watch.js';
import { clearState, writeState } from './state-file.js';
import { Teardown } from './teardown.js';
import { planDebug } from '../debug/debug-plan.js';
import { assertPortsFree } from './ports.js';
import { watchEngine } from './engine-watch.js';
import { stackDebug, type StackDebug } from './stack-debug.js';

export type { ServeOptions } from './stack-context.js';

export interface RunningStack {
  apiUrl: string;
  invokeUrl: string;
  staticUrl: string | undefined;
  databaseUrl: string | undefined;
  /** Function name → its function URL ("http://127.0.0.1:9100/"). */
  functionUrls: Record<string, string>;
  /** Web functions' endpoints by function name. */
  webUrls: Record<string, string>;
  /** `--debug`: where each debugged function's debugger listens, and VS Code's way to attach. */
  debug: StackDebug | undefined;
  compose: ComposeProject;
  emulator: Emulator;
  /** Resolves after each hot reload, with what changed (for tests and the CLI's output). */
  onReload(listener: ReloadListener): void;
  mask(text: string): string;
  stop(): Promise<void>;
}

export async function startStack(
  project: ResolvedProject,
  options: ServeOptions = {},
): Promise<RunningStack> {
  const { ctx, ports, databaseUrl } = await prepareStack(project, options);
  const { teardown, compose } = ctx;
  // Ctrl-C at any point (during start-up too) runs the same teardown as a normal stop.
  const stop = () => teardown.run();
  // Deferred first so it runs last, but it removes the state file only once this process wrote it:
  // a start that fails (a busy port) must not remove the state of a stack already running.
  let stateWritten = false;
  teardown.defer(async () => {
    if (stateWritten) await clearState(project.root);
  });
  const unregister = onCleanup(stop);
  teardown.defer(() => void unregister());
  try {
    const { emulator, gateway, staticServer, functionUrls, web, reloadListeners } =
      await startPhases(ctx, ports);
    const urls = {
      apiUrl: gateway.url,
      invokeUrl: emulator.invokeUrl,
      staticUrl: staticServer?.url,
      databaseUrl,
      functionUrls: Object.fromEntries(functionUrls.map((url) => [url.functionName, url.url])),
      webUrls: webUrls(web),
    };
    await writeState(project.root, {
      pid: process.pid,
      composeProject: compose.name,
      composeFiles: compose.files,
      ...urls,
      logFile: options.logFile,
      ready: true,
      ...(stackNetwork(ctx) ? { network: stackNetwork(ctx) } : {}),
      ...(options.stage ? { stage: options.stage } : {}),
      imageSource: ctx.source,
    });
    stateWritten = true;
    ctx.ready = true;
    const onReload = (listener: ReloadListener) => void reloadListeners.push(listener);
    const debug = stackDebug(ctx);
    return { ...urls, debug, compose, emulator, onReload, mask: ctx.mask, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Everything before the first container starts: ports checked, environment and Compose file ready. */
async function prepareStack(
  project: ResolvedProject,
  options: ServeOptions,
): Promise<{ ctx: StackContext; ports: StackPorts; databaseUrl: string | undefined }> {
  const source = options.imageSource ?? imageSourceFromEnv();
  const docker = options.docker ?? (await connectEngine()).docker;
  const ports = stackPorts(project, options);
  const database = databaseFor(project, source);
  const composeProject = composeProjectName(project.name);
  await assertStackPortsFree(docker, ports, database && { settings: database, composeProject });
  const environment = stackEnvironment(project, options.stage, database);
  const { mask, databaseUrls } = environment;
  const { functions, targets } = options.debug
    ? planDebug(environment.functions, options.debug)
    : { functions: environment.functions, targets: [] };
  await assertPortsFree(
    targets.map((t) => ({
      port: t.port,
      what: `debugger of ${t.functionName}`,
      setting: '--debug-port',
    })),
  );
  const compose = await composeFor(project, source);
  const ctx: StackContext = {
    project,
    options,
    reporter: options.reporter ?? silentReporter,
    source,
    docker,
    compose,
    database,
    functions,
    debug: targets,
    mask,
    teardown: new Teardown(),
    logs: new LogSink(),
    ready: false,
  };
  return { ctx, ports, databaseUrl: databaseUrls?.forHost };
}

/** The start-up phases in order; each defers its own undo on ctx.teardown. */
async function startPhases(ctx: StackContext, ports: StackPorts) {
  const { project, options, database } = ctx;
  if (database && project.database)
    await startDatabase(
      ctx,
      database,
      options.dbTimeoutMs ?? project.database.healthTimeoutSeconds * 1000,
    );
  const zip = await packageForServe(ctx);
  const web = await startWebPhase(ctx, zip);
  const emulator = await startWorkers(ctx, zip, ports.invoke, webUrls(web));
  if (project.database?.init) await runDatabaseInit(ctx, emulator, project.database.init);
  const gateway = await startApiGateway(ctx, emulator, ports.api);
  const staticServer = await startStaticHost(ctx, ports.static);
  const urlPorts = await allocateUrlPorts(ports.urls, [
    ports.api,
    ports.invoke,
    ports.static,
    project.database?.hostPort,
  ]);
  const functionUrls = await startFunctionUrls(ctx, emulator, urlPorts);
  const reloadListeners: ReloadListener[] = [];
  const reloadCode = async () => {
    await emulator.reloadCode();
    await web?.reloadCode();
  };
  if (options.watch ?? true) watchForReloads(ctx, { reloadCode }, zip, reloadListeners);
  // Detached or not, watching files or not: an engine restart is recovered from.
  watchEngine(ctx, { reloadCode });
  return { emulator, gateway, staticServer, functionUrls, web, reloadListeners };
}
