import type { Readable } from 'node:stream';

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
  | (OutcomeBase & {
      kind: 'response-too-large';
      bytes: number;
      /** The limit it broke: 6 MB buffered (the default), 200 MB streamed. */
      limitBytes?: number;
    })
  | { kind: 'throttled'; requestId: string; logs: string[] }
  | { kind: 'unknown-function'; requestId: string; logs: string[] };

/** A function's response while the function streams it (awslambda.streamifyResponse). */
export interface StreamedResponse {
  requestId: string;
  /** What the runtime named: application/octet-stream by default; HttpResponseStream's is
   * application/vnd.awslambda.http-integration-response (a JSON prelude, 8 NUL bytes, the body). */
  contentType: string;
  /** The bytes as the function writes them. Read it to the end, or resume() it when the client goes. */
  body: Readable;
  /** How the invocation ended (a mid-stream error, a timeout...), once the body has ended. */
  outcome: Promise<InvocationOutcome>;
}

/** What a streaming front door gets: the stream as it starts, or the whole outcome of a function that did not stream. */
export type StreamingInvocation =
  { kind: 'streamed'; stream: StreamedResponse } | { kind: 'buffered'; outcome: InvocationOutcome };

export interface Invoker {
  invoke(request: InvokeRequest): Promise<InvocationOutcome>;
  /**
   * Invoke for a front door that streams (InvokeWithResponseStream, REST STREAM routes, Function
   * URLs in RESPONSE_STREAM mode). Resolves as soon as the function starts streaming, or with the
   * outcome when it answered without streaming (or failed first). Without it, fronts buffer.
   */
  invokeStreaming?(request: InvokeRequest): Promise<StreamingInvocation>;
  /** Queue an invocation and return at once (Invoke API InvocationType=Event). */
  enqueue(request: InvokeRequest): { requestId: string };
  hasFunction(name: string): boolean;
}
