/** One invocation handed to the runtime, and whichever comes first: its reply, its sandbox's end, the timeout. */
import type {
  WorkerEndpoint,
  EndpointInvocation,
  RuntimeReply,
} from '../../runtime-api/worker-endpoint.js';
import type { StreamEnd } from '../../runtime-api/response-stream.js';
import type { SandboxExit } from './sandbox.js';
import type { SandboxExitWatch } from './sandbox-exit-watch.js';

export type Race =
  | { kind: 'reply'; reply: RuntimeReply }
  | { kind: 'exit'; exit: SandboxExit }
  | { kind: 'timeout' };

/**
 * The runtime's reply, the sandbox's end or the timeout, whichever comes first. `timeoutMs`
 * undefined: no timeout (a debugger may hold the function at a breakpoint for as long as it likes).
 */
export function raceInvocation(
  endpoint: WorkerEndpoint,
  invocation: EndpointInvocation,
  timeoutMs: number | undefined,
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
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => settle() && resolve({ kind: 'timeout' }), timeoutMs);
    endpoint.deliver(invocation).then(
      (reply) => settle() && resolve({ kind: 'reply', reply }),
      (error: unknown) => settle() && reject(error),
    );
    exits.listen((exit) => settle() && resolve({ kind: 'exit', exit }));
  });
}

export type StreamRace =
  | { kind: 'ended'; end: Exclude<StreamEnd, { kind: 'broken' }> }
  | { kind: 'exit'; exit: SandboxExit }
  | { kind: 'timeout' };

/**
 * A streamed response's end, the sandbox's end or the rest of the timeout, whichever comes first.
 * A stream whose connection broke says nothing by itself: the runtime died (its exit follows) or
 * dropped the connection and lives on (then only the timeout ends the invocation, as on Lambda).
 */
export function raceStreamEnd(
  ended: Promise<StreamEnd>,
  remainingMs: number | undefined,
  exits: SandboxExitWatch,
): Promise<StreamRace> {
  return new Promise<StreamRace>((resolve) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      exits.stop();
      return true;
    };
    const timer =
      remainingMs === undefined
        ? undefined
        : setTimeout(() => settle() && resolve({ kind: 'timeout' }), Math.max(0, remainingMs));
    void ended.then((end) => {
      if (end.kind !== 'broken' && settle()) resolve({ kind: 'ended', end });
    });
    exits.listen((exit) => settle() && resolve({ kind: 'exit', exit }));
  });
}
