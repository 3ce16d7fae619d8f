/**
 * One execution environment: a sandbox (process or container) whose runtime talks to its own
 * Runtime API endpoint. The worker runs one invocation at a time and turns whatever happens
 * (a reply, a timeout, the runtime dying) into exactly one InvocationOutcome, with Lambda's log
 * lines. A worker that timed out, crashed or ran out of memory is dead; the pool replaces it.
 */
import type { ResolvedFunction } from '../../../config/load.js';
import {
  endLine,
  platformErrorLine,
  reportLine,
  startLine,
  timeoutMessage,
} from '../../logs/format.js';
import type { LogSink } from '../../logs/sink.js';
import type { AttachedWorker } from '../../runtime-api/server.js';
import type { EndpointInvocation } from '../../runtime-api/worker-endpoint.js';
import type { InvocationOutcome, InvokeRequest } from '../../types.js';
import { initialize, type InitResult } from './worker-init.js';
import { exitDescription, outcomeErrorType } from './outcome-payload.js';
import type { Sandbox, SandboxExit } from './sandbox.js';

export type WorkerState = 'new' | 'busy' | 'idle' | 'dead';

export interface WorkerParts {
  id: string;
  fn: ResolvedFunction;
  handler: string;
  functionArn: string;
  sandbox: Sandbox;
  attached: AttachedWorker;
  logs: LogSink;
}

type Race =
  | { kind: 'reply'; reply: Awaited<ReturnType<AttachedWorker['endpoint']['deliver']>> }
  | { kind: 'exit'; exit: SandboxExit }
  | { kind: 'timeout' };

export class Worker {
  state: WorkerState = 'new';
  lastUsedAt = Date.now();
  invocations = 0;
  private collecting: { requestId: string; lines: string[] } | undefined;
  private peakMemoryMb: number | undefined;
  /** How the sandbox ended, once it has; and who is waiting for that during an invocation. */
  private exitedWith: SandboxExit | undefined;
  private exitListener: ((exit: SandboxExit) => void) | undefined;
  /** Init started ahead of the first invocation (prewarm); that invocation reports its duration. */
  private earlyInit: Promise<InitResult> | undefined;

  constructor(private readonly parts: WorkerParts) {
    // One listener for the worker's whole life: a `sandbox.exited.then` per invocation would pile
    // up on a promise that stays pending while the worker lives (memory growth under load).
    void parts.sandbox.exited.then((exit) => {
      this.exitedWith = exit;
      this.exitListener?.(exit);
      // A runtime that dies between invocations (a background thread called exit) must not be leased.
      if (this.state !== 'idle') return;
      this.state = 'dead';
      this.loud('the runtime exited while idle; the next invocation starts a new worker');
    });
  }

  get id(): string {
    return this.parts.id;
  }
  get handler(): string {
    return this.parts.handler;
  }
  get functionName(): string {
    return this.parts.fn.name;
  }
  get kind(): Sandbox['kind'] {
    return this.parts.sandbox.kind;
  }

  async invoke(
    request: InvokeRequest,
    requestId: string,
    traceId: string,
  ): Promise<InvocationOutcome> {
    if (this.state === 'dead' || this.state === 'busy')
      throw new Error(`worker ${this.id} cannot take an invocation (${this.state})`);
    const cold = this.state === 'new';
    this.state = 'busy';
    this.invocations++;
    const lines: string[] = [];
    this.collecting = { requestId, lines };
    try {
      let initDurationMs: number | undefined;
      if (cold) {
        const init = await (this.earlyInit ?? initialize(this.parts, this.onOutput)).catch(
          async (error: unknown) => {
            // The sandbox could not even start (image missing, engine gone): this worker is unusable.
            await this.kill();
            throw error;
          },
        );
        initDurationMs = init.durationMs;
        if (!init.ok) return await this.initFailed(init, requestId, lines);
      }
      const { outcome, runtimeRssKb } = await this.run(
        request,
        requestId,
        traceId,
        lines,
        initDurationMs,
      );
      await this.report(outcome, runtimeRssKb);
      return outcome;
    } finally {
      this.collecting = undefined;
      this.lastUsedAt = Date.now();
      if (this.state === 'busy') this.state = 'idle';
    }
  }

  /**
   * Start init now, before any invocation (a replacement worker after a code change): the first
   * invocation then finds the runtime ready, or waits for the rest of its init, and reports the
   * Init Duration (or the init failure) in its REPORT, as a cold start would.
   */
  prewarm(): { started: Promise<void>; ready: Promise<void> } {
    if (this.state !== 'new' || this.earlyInit)
      return { started: Promise.resolve(), ready: Promise.resolve() };
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    this.earlyInit = initialize(this.parts, this.onOutput, markStarted);
    // However init ends, the first invocation reports it; here only "when" matters.
    const ready = this.earlyInit.then(
      () => undefined,
      () => undefined,
    );
    void ready.then(markStarted);
    return { started, ready };
  }

  async dispose(): Promise<void> {
    this.state = 'dead';
    this.parts.attached.endpoint.close();
    await Promise.allSettled([this.parts.sandbox.kill(), this.parts.attached.detach()]);
  }

  private async run(
    request: InvokeRequest,
    requestId: string,
    traceId: string,
    lines: string[],
    initDurationMs: number | undefined,
  ): Promise<{ outcome: InvocationOutcome; runtimeRssKb?: number }> {
    const { fn, attached, sandbox } = this.parts;
    let deliveredAt = performance.now();
    let delivered = false;
    // START is logged when the runtime takes the event, so nothing is logged for an event it never took.
    const start = () => {
      if (delivered) return;
      delivered = true;
      deliveredAt = performance.now();
      this.platform(startLine(requestId));
    };
    attached.endpoint.hooks.onDelivered = start;
    const invocation: EndpointInvocation = {
      requestId,
      payload: request.payload,
      timeoutMs: fn.timeout * 1000,
      functionArn: this.parts.functionArn,
      traceId,
      ...(request.clientContext
        ? { clientContext: decodeClientContext(request.clientContext) }
        : {}),
    };
    const race = await this.raceInvocation(invocation, fn.timeout * 1000);
    const durationMs = performance.now() - deliveredAt;
    const base = {
      requestId,
      logs: lines,
      durationMs,
      ...(initDurationMs !== undefined ? { initDurationMs } : {}),
    };
    if (race.kind === 'reply') {
      await sandbox.settleOutput(race.reply.output);
      const { reply } = race;
      const runtime = reply.maxRssKb !== undefined ? { runtimeRssKb: reply.maxRssKb } : {};
      if (reply.kind === 'response')
        return { outcome: { ...base, kind: 'succeeded', body: reply.body }, ...runtime };
      if (reply.kind === 'error')
        return {
          outcome: {
            ...base,
            kind: 'function-error',
            errorType: reply.report.errorType,
            body: reply.report.body,
          },
          ...runtime,
        };
      return { outcome: { ...base, kind: 'response-too-large', bytes: reply.bytes }, ...runtime };
    }
    attached.endpoint.abandon();
    if (race.kind === 'exit' && !delivered) {
      // It died between invocations (after its last reply, before asking for this event): the event
      // is untouched, so the pool retries it on a new worker instead of failing an innocent request.
      this.loud(
        `the runtime exited (${exitDescription(race.exit)}) between invocations; retrying the event on a new worker`,
        'warn',
      );
      await this.kill();
      throw new WorkerLostError(this.id, exitDescription(race.exit));
    }
    start();
    if (race.kind === 'timeout') {
      this.platform(platformErrorLine(requestId, timeoutMessage(fn.timeout)));
      this.loud(`timed out after ${fn.timeout} s; the worker is stopped and will be replaced`);
      await this.kill();
      return {
        outcome: {
          ...base,
          durationMs: fn.timeout * 1000,
          kind: 'timed-out',
          timeoutSeconds: fn.timeout,
        },
      };
    }
    return { outcome: await this.exited(race.exit, base) };
  }

  /** The runtime's reply, the sandbox's end or the timeout, whichever comes first. */
  private raceInvocation(invocation: EndpointInvocation, timeoutMs: number): Promise<Race> {
    return new Promise<Race>((resolve, reject) => {
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        this.exitListener = undefined;
        return true;
      };
      const timer = setTimeout(() => settle() && resolve({ kind: 'timeout' }), timeoutMs);
      this.parts.attached.endpoint.deliver(invocation).then(
        (reply) => settle() && resolve({ kind: 'reply', reply }),
        (error: unknown) => settle() && reject(error),
      );
      if (this.exitedWith) {
        if (settle()) resolve({ kind: 'exit', exit: this.exitedWith });
      } else this.exitListener = (exit) => settle() && resolve({ kind: 'exit', exit });
    });
  }

  private async exited(
    exit: SandboxExit,
    base: { requestId: string; logs: string[]; durationMs: number; initDurationMs?: number },
  ): Promise<InvocationOutcome> {
    await this.kill();
    const how = exitDescription(exit);
    if (exit.oomKilled) {
      this.platform(`RequestId: ${base.requestId} Error: Runtime exited with error: ${how}`);
      this.platform('Runtime.OutOfMemory');
      this.loud(
        `ran out of memory (limit ${this.parts.fn.memorySize} MB); the worker will be replaced`,
      );
      return { ...base, kind: 'out-of-memory' };
    }
    this.platform(`RequestId: ${base.requestId} Error: Runtime exited with error: ${how}`);
    this.platform('Runtime.ExitError');
    this.loud(`the runtime exited (${how}) during an invocation; the worker will be replaced`);
    return {
      ...base,
      kind: 'worker-exited',
      exitCode: exit.exitCode,
      ...(exit.signal ? { signal: exit.signal } : {}),
    };
  }

  /** Init failed: Lambda still logs START/END/REPORT for the invocation that triggered it. */
  private async initFailed(
    init: Extract<InitResult, { ok: false }>,
    requestId: string,
    lines: string[],
  ): Promise<InvocationOutcome> {
    const base = { requestId, logs: lines, durationMs: 0, initDurationMs: init.durationMs };
    this.platform(startLine(requestId));
    let outcome: InvocationOutcome;
    if (init.failure.kind === 'init-error') {
      await this.kill();
      this.loud(
        `init failed (${init.failure.report.errorType}); the next invocation starts a new worker`,
      );
      outcome = {
        ...base,
        kind: 'function-error',
        errorType: init.failure.report.errorType,
        body: init.failure.report.body,
      };
    } else if (init.failure.kind === 'timeout') {
      this.platform(platformErrorLine(requestId, timeoutMessage(this.parts.fn.timeout)));
      this.loud(
        `init did not finish within ${(init.durationMs / 1000).toFixed(1)} s; the worker is stopped`,
      );
      await this.kill();
      outcome = { ...base, kind: 'timed-out', timeoutSeconds: this.parts.fn.timeout };
    } else {
      outcome = await this.exited(init.failure.exit, base);
    }
    await this.report(outcome);
    return outcome;
  }

  private async report(outcome: InvocationOutcome, runtimeRssKb?: number): Promise<void> {
    if (outcome.kind === 'throttled' || outcome.kind === 'unknown-function') return;
    // A dead sandbox keeps the value read before it was removed.
    const latest =
      this.state === 'dead'
        ? undefined
        : await this.parts.sandbox.peakMemoryMb(runtimeRssKb).catch(() => undefined);
    const measured = latest ?? this.peakMemoryMb;
    // An OOM kill means the limit was reached, whatever the last sample said.
    const maxMemoryUsedMb = outcome.kind === 'out-of-memory' ? this.parts.fn.memorySize : measured;
    const failed = outcome.kind !== 'succeeded' && outcome.kind !== 'function-error';
    const errorType = failed ? outcomeErrorType(outcome) : undefined;
    this.platform(endLine(outcome.requestId));
    this.platform(
      reportLine({
        requestId: outcome.requestId,
        durationMs: outcome.durationMs,
        memorySizeMb: this.parts.fn.memorySize,
        ...(maxMemoryUsedMb !== undefined ? { maxMemoryUsedMb } : {}),
        ...(outcome.initDurationMs !== undefined ? { initDurationMs: outcome.initDurationMs } : {}),
        ...(failed
          ? { status: outcome.kind === 'timed-out' ? ('timeout' as const) : ('error' as const) }
          : {}),
        ...(errorType ? { errorType } : {}),
      }),
    );
  }

  private async kill(): Promise<void> {
    // Measure before the sandbox is removed, while its cgroup or /proc entry still exists.
    if (this.state !== 'dead')
      this.peakMemoryMb =
        (await this.parts.sandbox.peakMemoryMb().catch(() => undefined)) ?? this.peakMemoryMb;
    this.state = 'dead';
    await this.parts.sandbox.kill().catch(() => undefined);
  }

  private readonly onOutput = (stream: 'stdout' | 'stderr', line: string): void => {
    const current = this.collecting;
    current?.lines.push(line);
    this.parts.logs.emit({
      functionName: this.functionName,
      workerId: this.id,
      ...(current ? { requestId: current.requestId } : {}),
      kind: 'output',
      stream,
      message: line,
    });
  };

  /** A line Lambda itself writes into the function's log (START, END, REPORT, timeouts). */
  private platform(message: string): void {
    const current = this.collecting;
    current?.lines.push(message);
    const kind = message.startsWith('START ')
      ? 'start'
      : message.startsWith('END ')
        ? 'end'
        : message.startsWith('REPORT ')
          ? 'report'
          : 'platform';
    this.parts.logs.emit({
      functionName: this.functionName,
      workerId: this.id,
      ...(current ? { requestId: current.requestId } : {}),
      kind,
      message,
    });
  }

  /** Worker trouble the developer must notice; not part of the function's own log. */
  private loud(message: string, level: 'warn' | 'error' = 'error'): void {
    this.parts.logs.emit({
      functionName: this.functionName,
      workerId: this.id,
      ...(this.collecting ? { requestId: this.collecting.requestId } : {}),
      kind: 'platform',
      level,
      message: `worker ${this.id}: ${message}`,
    });
  }
}

/** The worker's runtime died before it took the event; the invocation can safely run elsewhere. */
export class WorkerLostError extends Error {
  constructor(
    readonly workerId: string,
    readonly exit: string,
  ) {
    super(`worker ${workerId} exited (${exit}) before taking the event`);
  }
}

/** The Invoke API takes base64 JSON; runtimes receive the JSON itself in Lambda-Runtime-Client-Context. */
function decodeClientContext(value: string): string {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.trim().startsWith('{') ? decoded : value;
}
