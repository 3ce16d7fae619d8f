/**
 * The Runtime API state of one worker (one execution environment). Lambda runs at most one
 * invocation per environment at a time, so the whole protocol is a small state machine:
 *
 *   initializing --/next--> waiting --deliver--> invoking --/response|/error--> (back to) initializing|waiting
 *
 * The HTTP handlers validate against this state before changing it; the worker (workers/core/worker.ts)
 * hands invocations in and gets exactly one RuntimeReply out per invocation, or is told that the
 * runtime went away (close). Timeouts and crashes are the worker's business, not this file's.
 */
import type { ApiReply } from './exchange.js';
import type { RuntimeErrorReport, RuntimeFacts } from './protocol.js';
import { ResponseStream } from './response-stream.js';

export interface EndpointInvocation {
  requestId: string;
  payload: Buffer;
  timeoutMs: number;
  functionArn: string;
  traceId: string;
  /** Client context JSON (already decoded from the Invoke API's base64). */
  clientContext?: string;
  cognitoIdentity?: string;
}

/** RuntimeFacts: what the runtime says of itself along with the reply (lbuild's bootstraps only). */
export type RuntimeReply =
  | ({ kind: 'response'; body: Buffer } & RuntimeFacts)
  | ({ kind: 'error'; report: RuntimeErrorReport } & RuntimeFacts)
  | ({ kind: 'too-large'; bytes: number } & RuntimeFacts)
  /** The runtime started a streamed response: the invocation runs on until `stream.ended`. */
  | { kind: 'stream'; stream: ResponseStream };

export interface DeliveredInvocation extends EndpointInvocation {
  deadlineMs: number;
  deliveredAt: number;
}

/** Something that can answer a parked /next: the handler passes a function that writes the event. */
export type NextWriter = (invocation: DeliveredInvocation) => void;

type Phase = 'initializing' | 'waiting' | 'invoking' | 'closed';

interface Current {
  invocation: DeliveredInvocation;
  resolve: (reply: RuntimeReply) => void;
  /** Set once the runtime started streaming its response; the invocation ends with the stream. */
  stream?: ResponseStream;
}

export interface EndpointHooks {
  /** The runtime reported that init failed (POST /runtime/init/error). */
  onInitError?: (report: RuntimeErrorReport) => void;
  /** The runtime asked for its first event: init is over. */
  onReady?: (at: number) => void;
  /** An invocation was handed to the runtime: its clock starts now. */
  onDelivered?: (invocation: DeliveredInvocation) => void;
}

export class WorkerEndpoint {
  private phase: Phase = 'initializing';
  private parked: { write: NextWriter; reply: ApiReply } | undefined;
  private queued:
    { invocation: EndpointInvocation; resolve: (reply: RuntimeReply) => void } | undefined;
  private current: Current | undefined;
  private readyAt: number | undefined;
  private heldAcknowledgement: (() => void) | undefined;
  hooks: EndpointHooks = {};

  constructor(readonly workerId: string) {}

  get state(): Phase {
    return this.phase;
  }

  get inFlightRequestId(): string | undefined {
    return this.current?.invocation.requestId;
  }

  // ---- checks used by the HTTP handlers before they change anything ----

  /** Why a /next cannot be accepted now, or undefined when it can. */
  rejectNext(): string | undefined {
    if (this.phase === 'closed') return 'the execution environment is shutting down';
    if (this.current)
      return `invocation ${this.current.invocation.requestId} is still in progress: post its response or error first`;
    if (this.parked && !this.parked.reply.finished) return 'a /next request is already waiting';
    return undefined;
  }

  /**
   * Why an /init/error cannot be accepted: once the runtime has asked for an invocation its init
   * is over, and Lambda answers a late init error 403 InvalidStateTransition (a confused or hostile
   * client must not be able to reset a working environment).
   */
  rejectInitError(): string | undefined {
    if (this.phase === 'closed') return 'the execution environment is shutting down';
    if (this.readyAt !== undefined)
      return 'init is over (the runtime already asked for an invocation): report errors of an invocation to /invocation/{id}/error';
    return undefined;
  }

  /** Why a post for this request id cannot be accepted, or undefined when it can. */
  rejectRequestId(requestId: string): string | undefined {
    if (this.phase === 'closed') return 'the execution environment is shutting down';
    if (!this.current) return `no invocation is in progress (got request id ${requestId})`;
    if (this.current.invocation.requestId !== requestId)
      return `unknown request id ${requestId}; the invocation in progress is ${this.current.invocation.requestId}`;
    if (this.current.stream)
      return `the response of ${requestId} is already being streamed; end that stream (with error trailers to report an error)`;
    return undefined;
  }

  // ---- transitions driven by the runtime (HTTP side) ----

  /** Park a /next; it is answered at once when an invocation is queued. Call rejectNext first. */
  park(reply: ApiReply, write: NextWriter): void {
    if (this.readyAt === undefined) {
      this.readyAt = Date.now();
      this.hooks.onReady?.(this.readyAt);
    }
    this.phase = 'waiting';
    this.parked = { write, reply };
    // A runtime that gives up its long poll (process killed, socket closed) must not receive an event.
    reply.onClose(() => {
      if (this.parked?.reply === reply) this.parked = undefined;
      this.releaseAcknowledgement();
    });
    this.pump();
  }

  complete(requestId: string, reply: RuntimeReply): void {
    const current = this.current;
    if (!current || current.invocation.requestId !== requestId || current.stream) return;
    this.current = undefined;
    this.phase = 'initializing';
    current.resolve(reply);
  }

  /**
   * The runtime started streaming the response of the invocation in progress (call
   * rejectRequestId first): the worker gets the stream now, and the invocation stays in progress
   * (no /next, no second result) until endStream.
   */
  startStream(requestId: string, contentType: string): ResponseStream | undefined {
    const current = this.current;
    if (!current || current.invocation.requestId !== requestId || current.stream) return undefined;
    current.stream = new ResponseStream(contentType);
    current.resolve({ kind: 'stream', stream: current.stream });
    return current.stream;
  }

  /** The streamed body has ended (however): the environment may take its next invocation. */
  endStream(stream: ResponseStream): void {
    if (this.current?.stream !== stream) return;
    this.current = undefined;
    this.phase = 'initializing';
  }

  /**
   * Send a /response's 202 later, with the next event, when the runtime pipelined its next /next
   * behind it: that /next's answer queues behind the 202 on the connection anyway, and a runtime
   * waiting for its event gains nothing from being woken for the 202 alone.
   */
  holdAcknowledgement(send: () => void): void {
    this.releaseAcknowledgement();
    this.heldAcknowledgement = send;
  }

  /** Send a held-back 202 now (before any other answer on the connection). */
  releaseAcknowledgement(): void {
    const send = this.heldAcknowledgement;
    this.heldAcknowledgement = undefined;
    send?.();
  }

  initError(report: RuntimeErrorReport): void {
    this.hooks.onInitError?.(report);
  }

  // ---- transitions driven by the worker ----

  /** Hand an invocation to the runtime; resolves with the runtime's one reply. */
  deliver(invocation: EndpointInvocation): Promise<RuntimeReply> {
    if (this.phase === 'closed')
      return Promise.reject(new Error(`worker ${this.workerId} is closed`));
    if (this.current || this.queued)
      return Promise.reject(new Error(`worker ${this.workerId} is busy`));
    return new Promise((resolve) => {
      this.queued = { invocation, resolve };
      this.pump();
    });
  }

  /** Forget the in-flight or queued invocation (timed out / crashed): late posts are then rejected. */
  abandon(): void {
    this.current?.stream?.broken();
    this.current = undefined;
    this.queued = undefined;
    if (this.phase === 'invoking') this.phase = 'initializing';
  }

  close(): void {
    this.releaseAcknowledgement();
    this.phase = 'closed';
    this.current?.stream?.broken();
    this.current = undefined;
    this.queued = undefined;
    if (this.parked && !this.parked.reply.finished) {
      // The runtime is being torn down; ending the poll without an event is all we can do.
      this.parked.reply.destroy();
    }
    this.parked = undefined;
  }

  private pump(): void {
    if (!this.parked || !this.queued || this.phase !== 'waiting') return;
    const { write } = this.parked;
    const { invocation, resolve } = this.queued;
    this.parked = undefined;
    this.queued = undefined;
    const deliveredAt = Date.now();
    const delivered: DeliveredInvocation = {
      ...invocation,
      deliveredAt,
      deadlineMs: deliveredAt + invocation.timeoutMs,
    };
    this.current = { invocation: delivered, resolve };
    this.phase = 'invoking';
    this.hooks.onDelivered?.(delivered);
    this.releaseAcknowledgement();
    write(delivered);
  }
}
