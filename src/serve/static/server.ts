/**
 * The static site as a standalone HTTP server (127.0.0.1:8080 unless told otherwise). Inside another
 * server, use createStaticHandler directly.
 */
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { EnvironmentError, UserError } from '../../errors.js';
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
  const requestedPort = options.port ?? defaultStaticPort;

  const handler = createStaticHandler({ ...options, root }, reporter);
  const server = createServer((req, res) => void handler(req, res));
  await listen(server, host, requestedPort);

  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    host,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
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

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(listenError(error, host, port));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): EnvironmentError {
  const details = { host, port, code: error.code };
  switch (error.code) {
    case 'EADDRINUSE':
      return new EnvironmentError(
        `port ${port} is in use by another process: stop it or set frontend.port / --static-port`,
        {
          hint: `See which process holds it with \`lsof -i :${port}\` or \`ss -ltnp 'sport = :${port}'\`; the static site wanted ${host}:${port}.`,
          cause: error,
          details,
        },
      );
    case 'EACCES':
      return new EnvironmentError(
        `not allowed to listen on port ${port} (static site on ${host})`,
        {
          hint: 'Ports below 1024 need privileges: use a port above 1024 (frontend.port / --static-port).',
          cause: error,
          details,
        },
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new EnvironmentError(`cannot listen on ${host}: no such address on this machine`, {
        hint: 'Use 127.0.0.1 (the default), or 0.0.0.0 inside a container.',
        cause: error,
        details,
      });
    default:
      return new EnvironmentError(`cannot listen on ${host}:${port}: ${error.message}`, {
        hint: 'Check the host and port of the static site (frontend.port / --static-port).',
        cause: error,
        details,
      });
  }
}
