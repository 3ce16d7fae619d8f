/** One invocation handed to the runtime, and whichever comes first: its reply, its sandbox's end, the timeout. */
import type {
  WorkerEndpoint,
  EndpointInvocation,
  RuntimeReply,
} from '../../runtime-api/worker-endpoint.js';
import type { SandboxExit } from './sandbox.js';
import type { SandboxExitWatch } from './sandbox-exit-watch.js';

export type Race =
  | { kind: 'reply'; reply: RuntimeReply }
  | { kind: 'exit'; exit: SandboxExit }
  | { kind: 'timeout' };

/** The runtime's reply, the sandbox's end or the timeout, whichever comes first. */
export function raceInvocation(
  endpoint: WorkerEndpoint,
  invocation: EndpointInvocation,
  timeoutMs: number,
  exits: SandboxExitWatch,
): Promise<Race> {
  return new Promise<Race>((resolve, reject) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      exits.stop();
      return true;
    };
    const timer = setTimeout(() => settle() && resolve({ kind: 'timeout' }), timeoutMs);
    endpoint.deliver(invocation).then(
      (reply) => settle() && resolve({ kind: 'reply', reply }),
      (error: unknown) => settle() && reject(error),
    );
    exits.listen((exit) => settle() && resolve({ kind: 'exit', exit }));
  });
}
