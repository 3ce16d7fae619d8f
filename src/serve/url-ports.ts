/**
 * Function URL ports. Each function URL is a host of its own, so locally each gets its own port:
 * functions.<name>.url.port, or else the first free port from 9100 (to 9199), in the order of the
 * functions in lbuild.json, so the same project gets the same URLs from one start to the next.
 */
import type { ResolvedProject } from '../config/resolved-project.js';
import { ConfigError, EnvironmentError } from '../errors.js';
import { isPortFree } from './ports.js';

export const defaultUrlPortRange = { first: 9100, last: 9199 } as const;

export interface UrlPort {
  functionName: string;
  /** undefined until allocated: the function URL has no url.port. */
  port: number | undefined;
}

/** The configured ports, each checked against the stack's other ports and each other. */
export function configuredUrlPorts(
  project: ResolvedProject,
  otherPorts: Array<{ port: number | undefined; setting: string }>,
): UrlPort[] {
  const taken = new Map<number, string>();
  for (const { port, setting } of otherPorts) if (port !== undefined) taken.set(port, setting);
  const urls: UrlPort[] = [];
  for (const fn of project.functions) {
    if (!fn.url) continue;
    const port = fn.url.port;
    if (port !== undefined) {
      const setting = `functions.${fn.name}.url.port`;
      const clash = taken.get(port);
      if (clash)
        throw new ConfigError(
          setting,
          `port ${port} is also ${clash}`,
          'Give every function URL a port of its own, apart from the API, Invoke API, frontend and database ports.',
          project.configFile,
        );
      taken.set(port, setting);
    }
    urls.push({ functionName: fn.name, port });
  }
  return urls;
}

/** Fill in the ports not configured: the first free ones of the default range not otherwise taken. */
export async function allocateUrlPorts(
  urls: UrlPort[],
  takenPorts: Array<number | undefined>,
): Promise<Array<{ functionName: string; port: number }>> {
  const taken = new Set([...takenPorts, ...urls.map((url) => url.port)]);
  let next: number = defaultUrlPortRange.first;
  const allocated: Array<{ functionName: string; port: number }> = [];
  for (const url of urls) {
    if (url.port !== undefined) {
      allocated.push({ functionName: url.functionName, port: url.port });
      continue;
    }
    while (next <= defaultUrlPortRange.last && (taken.has(next) || !(await isPortFree(next))))
      next++;
    if (next > defaultUrlPortRange.last)
      throw new EnvironmentError(
        `no free port from ${defaultUrlPortRange.first} to ${defaultUrlPortRange.last} for the function URL of ${url.functionName}`,
        { hint: `Set functions.${url.functionName}.url.port in lbuild.json.` },
      );
    taken.add(next);
    allocated.push({ functionName: url.functionName, port: next++ });
  }
  return allocated;
}
