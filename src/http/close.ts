import type { Server } from 'node:http';

/**
 * Stop listening and end every open connection: a dev server does not wait for slow downloads,
 * and idle keep-alive sockets or parked long polls would hold close() open forever. Closing a
 * server that is not listening (never started, or already closed) is not an error, so a
 * half-started server is cleaned up the same way.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
