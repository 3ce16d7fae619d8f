/**
 * The phases of `lbuild serve` that start something serving: the first package, the container
 * workers with the Invoke API, the API Gateway front and the static host. Each defers its own stop.
 */
import { join, resolve } from 'node:path';
import { startGateway, type RunningGateway } from '../emulator/apigw/index.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import {
  functionUrlId,
  startFunctionUrl,
  type RunningFunctionUrl,
} from '../emulator/function-url/index.js';
import { emulatorRegion } from '../emulator/workers/core/environment.js';
import { silentReporter } from '../log.js';
import { packageProject } from '../package/package-project.js';
import { composeNetworkName } from './compose/stack-file.js';
import { startStaticServer, type StaticServer } from './static/index.js';
import type { StackContext } from './stack-context.js';
import { prepareDebugLayers } from './stack-debug.js';

/** Packages the project into .lbuild/serve/<name>.zip; reloads repackage into the same file. */
export async function packageForServe(ctx: StackContext): Promise<string> {
  const { project } = ctx;
  const done = ctx.reporter.stage('package', project.root);
  const firstPackage = await packageProject(project, {
    docker: ctx.docker,
    imageSource: ctx.source,
    reporter: silentReporter,
    out: join(project.root, '.lbuild', 'serve', `${project.name}.zip`),
  });
  done();
  return firstPackage.zip;
}

/** Where the workers run: the Compose network when there is a database, else the default bridge. */
export function stackNetwork(ctx: Pick<StackContext, 'database' | 'compose'>): string | undefined {
  return ctx.database ? composeNetworkName(ctx.compose.name) : undefined;
}

/** Web functions have endpoints of their own (stack-web.ts): no workers, no routes. */
function eventFunctions(ctx: StackContext) {
  return ctx.functions.filter((fn) => fn.kind === 'event');
}

/** Container workers (on the Compose network when there is a database) and the Invoke API. */
export async function startWorkers(
  ctx: StackContext,
  zip: string,
  invokePort: number,
  webFunctions: Record<string, string>,
): Promise<Emulator> {
  const network = stackNetwork(ctx);
  const done = ctx.reporter.stage(
    'workers',
    `container workers on ${network ?? 'the default bridge'}`,
  );
  const debugLayer = await prepareDebugLayers(ctx);
  const emulator = await startEmulator({
    ...(debugLayer ? { debugLayer } : {}),
    logs: ctx.logs,
    functions: eventFunctions(ctx),
    webFunctions,
    codeDir: ctx.project.root,
    codeZip: zip,
    project: ctx.project.name,
    workerKind: 'container',
    // The stack's image source (its option, else LBUILD_IMAGE_SOURCE), not only the variable.
    imageSource: ctx.source,
    docker: ctx.docker,
    port: invokePort,
    ...(network ? { network } : {}),
  });
  ctx.teardown.defer(() => emulator.close());
  done();
  return emulator;
}

export async function startApiGateway(
  ctx: StackContext,
  emulator: Emulator,
  port: number,
): Promise<RunningGateway> {
  const { cors } = ctx.project;
  const { type: apiType, stage: apiStage } = ctx.project.api;
  const gateway = await startGateway({
    invoker: emulator.invoker,
    // A function with a URL and no routes is reached through its URL only, not the zero-config $default.
    functions: eventFunctions(ctx).filter((fn) => fn.routes.length > 0 || !fn.url),
    port,
    ...(cors ? { cors } : {}),
    ...(apiType ? { api: apiType } : {}),
    ...(apiStage ? { stage: apiStage } : {}),
  });
  ctx.teardown.defer(() => gateway.close());
  return gateway;
}

/** One server per function URL, each on its own port (url-ports.ts). */
export async function startFunctionUrls(
  ctx: StackContext,
  emulator: Emulator,
  ports: Array<{ functionName: string; port: number }>,
): Promise<RunningFunctionUrl[]> {
  const region = emulatorRegion();
  const running: RunningFunctionUrl[] = [];
  for (const { functionName, port } of ports) {
    const url = ctx.functions.find((fn) => fn.name === functionName)?.url;
    if (!url) continue;
    const server = await startFunctionUrl({
      invoker: emulator.invoker,
      functionName,
      authType: url.authType,
      invokeMode: url.invokeMode,
      cors: url.cors,
      urlId: functionUrlId(ctx.project.name, functionName),
      region,
      port,
      // A refused or failed request says why in the function's log: a bare 403 or 502 is a riddle.
      onRequest: (record) => {
        if (record.problem)
          ctx.logs.emit({
            functionName,
            kind: 'platform',
            level: 'warn',
            message: `function URL ${record.method} ${record.path} → ${record.statusCode}: ${record.problem}`,
          });
      },
    });
    ctx.teardown.defer(() => server.close());
    running.push(server);
  }
  return running;
}

/** The frontend's S3/CloudFront stand-in; undefined when the project has no frontend. */
export async function startStaticHost(
  ctx: StackContext,
  port: number | undefined,
): Promise<StaticServer | undefined> {
  const { frontend } = ctx.project;
  if (!frontend || port === undefined) return undefined;
  const server = await startStaticServer({
    root: resolve(ctx.project.root, frontend.dir),
    port,
    ...(frontend.spa !== undefined ? { spa: frontend.spa } : {}),
    ...(frontend.errorDocument ? { errorDocument: frontend.errorDocument } : {}),
    ...(frontend.cacheControl ? { cacheControl: frontend.cacheControl } : {}),
  });
  ctx.teardown.defer(() => server.close());
  return server;
}
