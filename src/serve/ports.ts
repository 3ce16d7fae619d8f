/** Ports are checked before anything starts, so a clash is reported with its fix, not as a crash. */
import { createServer } from 'node:net';
import { EnvironmentError } from '../errors.js';

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function assertPortsFree(
  ports: { port: number; what: string; setting: string }[],
  host = '127.0.0.1',
): Promise<void> {
  for (const { port, what, setting } of ports) {
    if (!(await isPortFree(port, host))) {
      throw new EnvironmentError(`port ${port} (${what}) is already in use on ${host}`, {
        hint: `Stop whatever listens there (\`lsof -i :${port}\` or \`ss -ltnp | grep ${port}\` shows it; an earlier \`lbuild serve --detach\` is stopped by \`lbuild down\`), or choose another port with ${setting}.`,
        details: { port, what },
      });
    }
  }
}
