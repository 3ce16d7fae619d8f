/**
 * Listening, shared by every lbuild HTTP server (API Gateway front, Invoke API, Runtime API,
 * static site). A port that cannot be had is the user's machine talking, not a bug: it becomes an
 * EnvironmentError that names the port, which server wanted it, how to find the process holding
 * it and the setting that picks another port.
 */
import type { ListenOptions, Server } from 'node:net';
import { EnvironmentError } from '../errors.js';

/** Who is listening, for the error when the port cannot be had. */
export interface ListenPurpose {
  /** The server, as the user knows it: "API gateway", "static site"... */
  what: string;
  /** Where another port is chosen: "frontend.port / --static-port" (none: it takes a free port). */
  portSetting?: string;
}

/** Listen on host:port; resolves to the bound port (the real one when 0 was asked for). */
export async function listen(
  server: Server,
  host: string,
  port: number,
  purpose: ListenPurpose,
): Promise<number> {
  try {
    await listenOn(server, { host, port });
  } catch (error) {
    throw listenError(error as NodeJS.ErrnoException, host, port, purpose);
  }
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

/** Listen on any address (a Unix socket path too); rejects with the raw system error. */
export function listenOn(server: Server, address: ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(address);
  });
}

export function listenError(
  error: NodeJS.ErrnoException,
  host: string,
  port: number,
  { what, portSetting }: ListenPurpose,
): EnvironmentError {
  const details = { host, port, code: error.code, what };
  const orSet = portSetting ? ` or set ${portSetting}` : '';
  const setting = portSetting ? ` (${portSetting})` : '';
  switch (error.code) {
    case 'EADDRINUSE':
      return new EnvironmentError(`port ${port} is in use by another process: stop it${orSet}`, {
        hint: `See which process holds it with \`lsof -i :${port}\` or \`ss -ltnp 'sport = :${port}'\`; the ${what} wanted ${host}:${port}${portSetting ? ` (another port: ${portSetting})` : ''}.`,
        cause: error,
        details,
      });
    case 'EACCES':
      return new EnvironmentError(`not allowed to listen on port ${port} (${what} on ${host})`, {
        hint: `Ports below 1024 need privileges: use a port above 1024${setting}.`,
        cause: error,
        details,
      });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new EnvironmentError(`cannot listen on ${host}: no such address on this machine`, {
        hint: 'Use 127.0.0.1 (the default), or 0.0.0.0 inside a container.',
        cause: error,
        details,
      });
    default:
      return new EnvironmentError(`cannot listen on ${host}:${port}: ${error.message}`, {
        hint: `Check the host and port of the ${what}${setting}.`,
        cause: error,
        details,
      });
  }
}
