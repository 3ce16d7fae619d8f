import type Docker from 'dockerode';
import type { DebugRequest, DebugTarget } from '../debug/debug-plan.js';
import type { LaunchConfiguration } from '../debug/launch-config.js';
import type { Reporter } from '../log.js';

export interface InvokeOptions {
  functionName?: string;
  payload: Buffer;
  handler?: string;
  reporter?: Reporter;
  docker?: Docker;
  /** Ignore a running stack and use a fresh container. */
  fresh?: boolean;
  /** `--debug`: run it under a debugger, in a fresh container (its `functions` are ignored). */
  debug?: DebugRequest;
  /** Told when the debugger listens, before the invocation starts (to print how to attach). */
  onDebugReady?: (debug: InvokeDebug) => void | Promise<void>;
}

export interface InvokeDebug {
  target: DebugTarget;
  configurations: LaunchConfiguration[];
  note: string;
}

export interface InvokeResult {
  functionName: string;
  requestId: string;
  status: 'succeeded' | 'function-error';
  errorType?: string;
  result: unknown;
  logs: string[];
  via: 'stack' | 'container';
  /** Set when Lambda's timeout stopped it: how long, the key that raises it, and the one-line message. */
  timedOut?: { seconds: number; key: string; message: string };
}
