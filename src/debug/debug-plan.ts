/**
 * `--debug`: which functions run under a debugger, on which loopback ports, and what that changes
 * in them. A debugged function gets a debugger in its usual container worker (Node's inspector or
 * debugpy), concurrency 1 (one process to attach to, one request at a time at a breakpoint), and no
 * enforced timeout, neither its own nor the gateway's (fn.debug is what the worker, the pool and
 * the gateway look at).
 */
import type { FunctionDebug, ResolvedFunction } from '../config/resolved-project.js';
import { UserError } from '../errors.js';
import type { Language } from '../runtimes/catalog.js';

export interface DebugRequest {
  /** true: every event function; else these functions. */
  functions: true | string[];
  /** The first port (the next functions count up from it). Default: 9229 Node, 5678 Python. */
  port?: number;
  /** The runtime waits for a debugger before it runs anything (--inspect-brk, --wait-for-client). */
  wait?: boolean;
}

/** One debugged function, as printed and as `--json` reports it. */
export interface DebugTarget {
  functionName: string;
  runtime: string;
  protocol: FunctionDebug['protocol'];
  host: '127.0.0.1';
  port: number;
  wait: boolean;
  /** The function's configured timeout, suspended while it is debugged. */
  timeoutSeconds: number;
}

/** The ports VS Code, PyCharm and Chrome expect by default. */
export const defaultDebugPorts: Record<Language, number> = { nodejs: 9229, python: 5678 };

const protocols: Record<Language, FunctionDebug['protocol']> = {
  nodejs: 'inspector',
  python: 'debugpy',
};

export function planDebug(
  functions: ResolvedFunction[],
  request: DebugRequest,
): { functions: ResolvedFunction[]; targets: DebugTarget[] } {
  const chosen = chooseFunctions(functions, request.functions);
  const next: Partial<Record<Language, number>> = {};
  let shared = request.port;
  const debugOf = new Map<string, FunctionDebug>();
  for (const fn of chosen) {
    const language = fn.runtime.language;
    let port: number;
    if (shared !== undefined) port = shared++;
    else port = next[language] = (next[language] ?? defaultDebugPorts[language] - 1) + 1;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new UserError(`debugger port ${port} is not a TCP port`, {
        hint: 'Choose --debug-port between 1024 and 65535 (the functions use consecutive ports).',
      });
    debugOf.set(fn.name, { port, wait: request.wait ?? false, protocol: protocols[language] });
  }
  return {
    functions: functions.map((fn) => {
      const debug = debugOf.get(fn.name);
      return debug ? { ...fn, debug, concurrency: 1 } : fn;
    }),
    targets: chosen.map((fn) => {
      const debug = debugOf.get(fn.name)!;
      return {
        functionName: fn.name,
        runtime: fn.runtime.name,
        protocol: debug.protocol,
        host: '127.0.0.1',
        port: debug.port,
        wait: debug.wait,
        timeoutSeconds: fn.timeout,
      };
    }),
  };
}

function chooseFunctions(
  functions: ResolvedFunction[],
  wanted: true | string[],
): ResolvedFunction[] {
  const events = functions.filter((fn) => fn.kind === 'event');
  if (wanted === true) {
    if (events.length === 0)
      throw new UserError('--debug found no event function to debug', {
        hint: 'Web functions run on endpoints of their own; --debug attaches to event functions (those with a handler).',
      });
    return events;
  }
  return wanted.map((name) => {
    const fn = functions.find((candidate) => candidate.name === name);
    if (!fn)
      throw new UserError(`--debug names "${name}", which is not a function of this project`, {
        hint: `Functions: ${functions.map((f) => f.name).join(', ')}. Give --debug=<name>[,<name>] (with "=": a bare word after --debug is taken as its value, not as the project folder).`,
      });
    if (fn.kind !== 'event')
      throw new UserError(`--debug cannot attach to the web function "${name}"`, {
        hint: 'Web functions run on endpoints of their own; --debug attaches to event functions (those with a handler).',
      });
    return fn;
  });
}

/** What a debugged function's user must know: where to attach, and which limits are off. */
export function debugNotes(targets: DebugTarget[], integrationTimeoutSeconds?: number): string[] {
  return targets.map((t) => {
    const what = t.protocol === 'debugpy' ? 'debugpy' : "Node's inspector";
    const gateway =
      integrationTimeoutSeconds !== undefined
        ? ` and the gateway's ${integrationTimeoutSeconds} s integration timeout are`
        : ' is';
    return `${t.functionName}: ${what} on ${t.host}:${t.port}${t.wait ? ' (waits for a debugger before it runs)' : ''}; its ${t.timeoutSeconds} s timeout${gateway} suspended, concurrency 1`;
  });
}
