/**
 * The contract between the parts of the emulator: the API Gateway front and the Invoke API ask an
 * Invoker to run a function; the pool answers with exactly one InvocationOutcome per invocation.
 */

export interface InvokeRequest {
  functionName: string;
  /** The event, as JSON bytes (what the Runtime API hands to /next). */
  payload: Buffer;
  /** Base64 JSON from X-Amz-Client-Context, passed through to the runtime. */
  clientContext?: string;
  /** X-Ray style trace header; generated when absent. */
  traceId?: string;
  /**
   * The invocation's request id, when the front already named it in the event (a function URL's
   * requestContext.requestId is the invocation's id, as in AWS). Generated when absent.
   */
  requestId?: string;
  /** Overrides the configured handler for this one invocation (lbuild invoke --handler). */
  handlerOverride?: string;
}

interface OutcomeBase {
  requestId: string;
  /** Log lines of this invocation (function output + START/END/REPORT). */
  logs: string[];
  durationMs: number;
  initDurationMs?: number;
}

/** Every way an invocation can end, each mapped to one response by the fronts. */
export type InvocationOutcome =
  | (OutcomeBase & { kind: 'succeeded'; body: Buffer })
  | (OutcomeBase & { kind: 'function-error'; errorType: string; body: Buffer })
  | (OutcomeBase & { kind: 'timed-out'; timeoutSeconds: number })
  | (OutcomeBase & { kind: 'worker-exited'; exitCode: number | null; signal?: string })
  | (OutcomeBase & { kind: 'out-of-memory' })
  | (OutcomeBase & { kind: 'response-too-large'; bytes: number })
  | { kind: 'throttled'; requestId: string; logs: string[] }
  | { kind: 'unknown-function'; requestId: string; logs: string[] };

export interface Invoker {
  invoke(request: InvokeRequest): Promise<InvocationOutcome>;
  /** Queue an invocation and return at once (Invoke API InvocationType=Event). */
  enqueue(request: InvokeRequest): { requestId: string };
  hasFunction(name: string): boolean;
}
