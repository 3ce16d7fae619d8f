/**
 * The web-functions phase of `lbuild serve`: each web function's endpoint on its own port, with
 * environments on the stack's network. Event functions are the emulator's (stack-servers.ts).
 */
import { startWebFunctions, type WebFunctions } from '../emulator/web/index.js';
import { emulatorRegion } from '../emulator/workers/core/environment.js';
import type { StackContext } from './stack-context.js';
import { stackNetwork } from './stack-servers.js';

export async function startWebPhase(
  ctx: StackContext,
  zip: string,
): Promise<WebFunctions | undefined> {
  const functions = ctx.functions.filter((fn) => fn.kind === 'web');
  if (functions.length === 0) return undefined;
  const done = ctx.reporter.stage('web', `${functions.length} web function endpoint(s)`);
  const network = stackNetwork(ctx);
  const web = await startWebFunctions({
    docker: ctx.docker,
    functions,
    codeZip: zip,
    project: ctx.project.name,
    imageSource: ctx.source,
    region: emulatorRegion(),
    logs: ctx.logs,
    ...(network ? { network } : {}),
  });
  ctx.teardown.defer(() => web.close());
  done();
  return web;
}

/** name → endpoint URL, for the state file, the CLI and the Invoke API's refusal. */
export function webUrls(web: WebFunctions | undefined): Record<string, string> {
  return Object.fromEntries((web?.endpoints ?? []).map((e) => [e.functionName, e.url]));
}
