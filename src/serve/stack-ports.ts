/** The ports of a stack: flags win over lbuild.json; all are checked before anything starts. */
import type Docker from 'dockerode';
import type { ResolvedProject } from '../config/resolved-project.js';
import type { DatabaseSettings } from './compose/stack-file.js';
import { findServiceContainer } from './database.js';
import { assertPortsFree } from './ports.js';
import type { ServeOptions } from './stack-context.js';
import { configuredUrlPorts, type UrlPort } from './url-ports.js';

export interface StackPorts {
  api: number;
  /** undefined: no frontend to serve. */
  static: number | undefined;
  invoke: number;
  /** One per function URL; a port left undefined is allocated once the others are known free. */
  urls: UrlPort[];
  /** Web functions' endpoint ports by function name. */
  web: Record<string, number>;
}

export function stackPorts(project: ResolvedProject, options: ServeOptions): StackPorts {
  const api = options.apiPort ?? project.api.port;
  const staticPort = project.frontend ? (options.staticPort ?? project.frontend.port) : undefined;
  const invoke = options.invokePort ?? api + 1;
  return {
    api,
    static: staticPort,
    invoke,
    urls: configuredUrlPorts(project, [
      { port: api, setting: 'the API Gateway port (api.port or --port)' },
      { port: invoke, setting: 'the Invoke API port (--invoke-port)' },
      { port: staticPort, setting: 'the frontend port (frontend.port or --static-port)' },
      { port: project.database?.hostPort, setting: 'the database port (database.port)' },
    ]),
    web: Object.fromEntries(
      project.functions.flatMap((fn) => (fn.web ? [[fn.name, fn.web.port]] : [])),
    ),
  };
}

export async function assertStackPortsFree(
  docker: Docker,
  ports: StackPorts,
  database: { settings: DatabaseSettings; composeProject: string } | undefined,
): Promise<void> {
  // A database left running by an earlier serve holds its own port: that is no clash.
  const dbAlreadyUp = database
    ? (await findServiceContainer(docker, database.composeProject, 'db'))?.State === 'running'
    : false;
  await assertPortsFree([
    { port: ports.api, what: 'API Gateway', setting: 'api.port or --port' },
    { port: ports.invoke, what: 'Invoke API', setting: '--invoke-port' },
    ...Object.entries(ports.web).map(([name, port]) => ({
      port,
      what: `web function ${name}`,
      setting: `functions.${name}.port`,
    })),
    ...(ports.static !== undefined
      ? [{ port: ports.static, what: 'static frontend', setting: 'frontend.port or --static-port' }]
      : []),
    ...ports.urls.flatMap(({ functionName, port }) =>
      port === undefined
        ? []
        : [
            {
              port,
              what: `function URL of ${functionName}`,
              setting: `functions.${functionName}.url.port`,
            },
          ],
    ),
    ...(database && !dbAlreadyUp
      ? [{ port: database.settings.hostPort, what: 'Postgres', setting: 'database.port' }]
      : []),
  ]);
}
