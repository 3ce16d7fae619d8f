/**
 * The static site as a standalone HTTP server (127.0.0.1:8080 unless told otherwise). Inside another
 * server, use createStaticHandler directly.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { closeServer } from '../../http/close.js';
import { listen } from '../../http/listen.js';
import { createHttpServer } from '../../http/server.js';
import { httpUrl, reachableHost } from '../../http/url.js';
import { silentReporter, type Reporter } from '../../log.js';
import { createStaticHandler } from './handler.js';
import { defaultStaticHost, defaultStaticPort, type StaticSiteOptions } from './options.js';

export interface StaticServer {
  /** e.g. "http://127.0.0.1:8080"; a wildcard host (0.0.0.0, ::) is shown as 127.0.0.1. */
  url: string;
  host: string;
  /** The bound port (the real one when 0 was asked for). */
  port: number;
  /** Stops listening and drops open connections (a dev server does not wait for slow downloads). */
  close(): Promise<void>;
}

export async function startStaticServer(
  options: StaticSiteOptions,
  reporter: Reporter = silentReporter,
): Promise<StaticServer> {
  const root = path.resolve(options.root);
  await checkRoot(root);
  const host = options.host ?? defaultStaticHost;
  const handler = createStaticHandler({ ...options, root }, reporter);
  const server = createHttpServer((req, res) => void handler(req, res));
  const port = await listen(server, host, options.port ?? defaultStaticPort, {
    what: 'static site',
    portSetting: 'frontend.port / --static-port',
  });
  return {
    url: httpUrl(reachableHost(host), port),
    host,
    port,
    close: () => closeServer(server),
  };
}

async function checkRoot(root: string): Promise<void> {
  const stats = await stat(root).catch(() => undefined);
  if (!stats?.isDirectory()) {
    throw new UserError(
      `frontend folder ${root} ${stats ? 'is not a directory' : 'does not exist'}`,
      {
        hint: 'Build the frontend first (e.g. npm run build) or point frontend.dir at its output folder.',
        details: { root },
      },
    );
  }
}
