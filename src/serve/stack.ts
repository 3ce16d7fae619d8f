/**
 * `lbuild serve`: Postgres through Compose (health-gated), the package built, container workers on
 * the Compose network, the API Gateway front, the Invoke API and the static host, then hot reload.
 * The emulator and the static host run in this process: the watcher talks to them directly, and no
 * container needs the Docker socket.
 */
import type Docker from 'dockerode';
import type { FSWatcher } from 'chokidar';
import { join, resolve } from 'node:path';
import type { ResolvedFunction, ResolvedProject } from '../config/load.js';
import { connectEngine } from '../docker/engine.js';
import { onCleanup } from '../docker/cleanup.js';
import { UserError } from '../errors.js';
import { formatMs, silentReporter, type Reporter } from '../log.js';
import { LogSink, startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type RunningGateway } from '../emulator/apigw/index.js';
import { packageProject } from '../package/package-project.js';
import { buildSourceFilter } from '../package/ignore-rules.js';
import { dependencyInputs } from '../package/dependency-inputs.js';
import { imageSourceFromEnv, type ImageSource } from '../runtimes/images.js';
import { startStaticServer, type StaticServer } from './static/index.js';
import { followServiceLogs, runCompose, type ComposeProject } from './compose/compose-cli.js';
import { composeProjectName, writeStack } from './compose/stack-file.js';
import {
  databaseSettings,
  databaseUrls,
  findServiceContainer,
  waitForHealthy,
} from './database.js';
import { loadDotenvFiles, secretMasker, substituteEnv } from './env-files.js';
import { assertPortsFree } from './ports.js';
import { clearState, writeState } from './state-file.js';
import { watchProject } from './watch.js';

export interface ServeOptions {
  stage?: string;
  apiPort?: number;
  staticPort?: number;
  invokePort?: number;
  watch?: boolean;
  reporter?: Reporter;
  imageSource?: ImageSource;
  docker?: Docker;
  dbTimeoutMs?: number;
  logFile?: string;
}

export interface RunningStack {
  apiUrl: string;
  invokeUrl: string;
  staticUrl: string | undefined;
  databaseUrl: string | undefined;
  compose: ComposeProject;
  emulator: Emulator;
  /** Resolves after each hot reload, with what changed (for tests and the CLI's output). */
  onReload(listener: (event: { kind: string; ms: number }) => void): void;
  mask(text: string): string;
  stop(): Promise<void>;
}

export async function startStack(
  project: ResolvedProject,
  options: ServeOptions = {},
): Promise<RunningStack> {
  const reporter = options.reporter ?? silentReporter;
  const source = options.imageSource ?? imageSourceFromEnv();
  const docker = options.docker ?? (await connectEngine()).docker;
  const config = project.config;
  const apiPort = options.apiPort ?? config.api?.port ?? 3000;
  const staticPort = options.staticPort ?? config.frontend?.port ?? 8080;
  const invokePort = options.invokePort ?? apiPort + 1;
  const composeName = composeProjectName(project.name);

  const database = config.database ? databaseSettings(config, project.name, source) : undefined;
  const dbAlreadyUp = database
    ? Boolean((await findServiceContainer(docker, composeName, 'db'))?.State === 'running')
    : false;
  await assertPortsFree([
    { port: apiPort, what: 'API Gateway', setting: 'api.port or --port' },
    { port: invokePort, what: 'Invoke API', setting: '--invoke-port' },
    ...(config.frontend
      ? [{ port: staticPort, what: 'static frontend', setting: 'frontend.port or --static-port' }]
      : []),
    ...(database && !dbAlreadyUp
      ? [{ port: database.hostPort, what: 'Postgres', setting: 'database.port' }]
      : []),
  ]);

  const dotenv = loadDotenvFiles(project.root, options.stage);
  const urls = database ? databaseUrls(database) : undefined;
  const functions: ResolvedFunction[] = project.functions.map((fn) => ({
    ...fn,
    environment: {
      ...(urls ? { DATABASE_URL: urls.forFunctions } : {}),
      ...dotenv.values,
      ...substituteEnv(
        fn.environment,
        { dotenv: dotenv.values, host: process.env },
        `functions.${fn.name}.environment`,
      ),
      ...(options.stage ? { STAGE: options.stage } : {}),
    },
  }));
  const mask = secretMasker(
    Object.assign(
      {},
      ...functions.map((f) => f.environment),
      database ? { DB_PASSWORD: database.password } : {},
    ),
  );

  const compose = await writeStack(project.root, project.name, database);
  const logs = new LogSink();
  const cleanups: (() => Promise<void>)[] = [];
  let ready = false;
  const undo = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  // Ctrl-C at any point (during start-up too) runs the same teardown as a normal stop.
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= undo());
  const unregister = onCleanup(stop);
  cleanups.unshift(async () => void unregister());
  try {
    if (database) {
      const done = reporter.stage(
        'database',
        `${database.image} (Compose project ${compose.name})`,
      );
      let up: Promise<unknown> = Promise.resolve();
      cleanups.push(async () => {
        // Ctrl-C can land while `up` is still creating containers: let it finish first, or `down`
        // would run before the container exists and `up` would start it afterwards.
        await up.catch(() => {});
        // A stack that ran is stopped (its containers restart fast next time); one that failed to
        // start is taken down, so nothing half-started is left. The volume stays either way.
        await runCompose(compose, ready ? ['stop'] : ['down', '--remove-orphans']);
      });
      up = runCompose(compose, ['up', '-d', '--remove-orphans']);
      await up;
      await waitForHealthy(
        docker,
        compose.name,
        options.dbTimeoutMs ?? (config.database?.healthTimeout ?? 60) * 1000,
      );
      done();
      // The database's own log lines join the functions' in one stream, prefixed [db].
      const follower = await followServiceLogs(compose, 'db', (line) =>
        logs.emit({ functionName: 'db', kind: 'output', message: mask(line) }),
      );
      cleanups.push(async () => follower.stop());
    }

    let done = reporter.stage('package', project.root);
    const firstPackage = await packageProject(project, {
      docker,
      imageSource: source,
      reporter: silentReporter,
      out: join(project.root, '.lbuild', 'serve', `${project.name}.zip`),
    });
    done();
    const zip = firstPackage.zip;

    done = reporter.stage(
      'workers',
      `container workers on ${database ? `${compose.name}_default` : 'the default bridge'}`,
    );
    const emulator = await startEmulator({
      logs,
      functions,
      codeDir: project.root,
      codeZip: zip,
      project: project.name,
      workerKind: 'container',
      docker,
      port: invokePort,
      ...(database ? { network: `${compose.name}_default` } : {}),
    });
    cleanups.push(() => emulator.close());
    done();

    if (config.database?.init) {
      done = reporter.stage('database.init', config.database.init);
      await runInit(emulator, functions, config.database.init);
      done();
    }

    const gateway: RunningGateway = await startGateway({
      invoker: emulator.invoker,
      functions,
      port: apiPort,
      ...(project.cors ? { cors: project.cors } : {}),
    });
    cleanups.push(() => gateway.close());

    let staticServer: StaticServer | undefined;
    if (config.frontend) {
      staticServer = await startStaticServer({
        root: resolve(project.root, config.frontend.dir),
        port: staticPort,
        ...(config.frontend.spa !== undefined ? { spa: config.frontend.spa } : {}),
        ...(config.frontend.errorDocument ? { errorDocument: config.frontend.errorDocument } : {}),
        ...(config.frontend.cacheControl ? { cacheControl: config.frontend.cacheControl } : {}),
      });
      cleanups.push(() => staticServer!.close());
    }

    const reloadListeners: ((event: { kind: string; ms: number }) => void)[] = [];
    let watcher: FSWatcher | undefined;
    if (options.watch ?? true) {
      const filter = buildSourceFilter(project.root, {
        language: project.runtime.language,
        exclude: project.package.exclude,
        include: project.package.include,
        extraExcludes: config.frontend ? [config.frontend.dir] : [],
      });
      watcher = watchProject({
        root: project.root,
        filter,
        dependencyInputs: project.package.dependencies
          ? dependencyInputs(project.root, project.package.dependencies)
          : [],
        onChange: async (kind, paths) => {
          const started = performance.now();
          try {
            // No audit on reloads: it ran at start, and a reload must stay well under a second.
            await packageProject(project, {
              docker,
              imageSource: source,
              reporter: kind === 'dependencies' ? reporter : silentReporter,
              out: zip,
              noAudit: true,
            });
            await emulator.reloadCode();
            const ms = performance.now() - started;
            reporter.info(
              `↻ ${kind === 'dependencies' ? 'dependencies rebuilt' : 'code reloaded'} (${paths.slice(0, 3).join(', ')}) in ${formatMs(ms)}`,
            );
            for (const listener of reloadListeners) listener({ kind, ms });
          } catch (error) {
            reporter.warn(`reload failed: ${(error as Error).message}`);
          }
        },
      });
      cleanups.push(async () => watcher!.close());
    }

    const state = {
      pid: process.pid,
      composeProject: compose.name,
      composeFiles: compose.files,
      apiUrl: gateway.url,
      invokeUrl: emulator.invokeUrl,
      staticUrl: staticServer?.url,
      databaseUrl: urls?.forHost,
      logFile: options.logFile,
      ready: true,
    };
    await writeState(project.root, state);
    cleanups.unshift(() => clearState(project.root));

    ready = true;
    return {
      apiUrl: gateway.url,
      invokeUrl: emulator.invokeUrl,
      staticUrl: staticServer?.url,
      databaseUrl: urls?.forHost,
      compose,
      emulator,
      onReload: (listener) => void reloadListeners.push(listener),
      mask,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** database.init names a function, or a module.func handler run in the first function's package. */
async function runInit(
  emulator: Emulator,
  functions: ResolvedFunction[],
  init: string,
): Promise<void> {
  const byName = functions.find((f) => f.name === init);
  const target = byName ?? functions[0]!;
  const outcome = await emulator.invoker.invoke({
    functionName: target.name,
    payload: Buffer.from('{}'),
    ...(byName ? {} : { handlerOverride: init }),
  });
  if (outcome.kind !== 'succeeded') {
    const body = 'body' in outcome ? outcome.body.toString() : outcome.kind;
    throw new UserError(`database.init (${init}) failed: ${body}`, {
      hint: 'Fix the init function (it runs once the database is healthy, on every start, so it must be idempotent); `lbuild logs` shows its output.',
    });
  }
}
