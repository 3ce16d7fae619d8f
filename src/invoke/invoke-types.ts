import type Docker from 'dockerode';
import type { Reporter } from '../log.js';

export interface InvokeOptions {
  functionName?: string;
  payload: Buffer;
  handler?: string;
  reporter?: Reporter;
  docker?: Docker;
  /** Ignore a running stack and use a fresh container. */
  fresh?: boolean;
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
