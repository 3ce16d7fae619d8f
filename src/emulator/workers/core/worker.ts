/**
 * One execution environment: a sandbox (process or container) whose runtime talks to its own
 * Runtime API endpoint. The worker runs one invocation at a time and turns whatever happens
 * (a reply, a timeout, the runtime dying) into exactly one InvocationOutcome, with Lambda's log
 * lines. A worker that timed out, crashed or ran out of memory is dead; the pool replaces it.
 */
import type { Readable } from 'node:stream';
import {
  functionTimeout,
  nearTimeoutWarning,
  timedOutMessage,
} from '../../../config/timeout-advice.js';
import { timeoutMessage } from '../../logs/format.js';
import { maxStreamedBytes, type ResponseStream } from '../../runtime-api/response-stream.js';
import { maxResponseBytes } from '../../runtime-api/protocol.js';
import type { InvocationOutcome, InvokeRequest } from '../../types.js';
import { collectStream } from './collect-stream.js';
import { DeliveryClock } from './delivery-clock.js';
import { endpointInvocation, replyOutcome, type OutcomeBase } from './invocation.js';
import { raceInvocation, raceStreamEnd } from './invocation-race.js';
import { invocationReportFacts } from './invocation-report.js';
import { exitDescription } from './outcome-payload.js';
import { PlatformLog } from './platform-log.js';
import type { Sandbox, SandboxExit } from './sandbox.js';
import { SandboxExitWatch } from './sandbox-exit-watch.js';
import { initialize, type InitResult } from './worker-init.js';
import { WorkerLog } from './worker-log.js';
import { WorkerLostError } from './worker-lost-error.js';
import { enforcedTimeoutMs } from './enforced-timeout.js';
import type { WorkerParts, WorkerState } from './worker-parts.js';

/** Told when the function starts streaming its response (a streaming front door is waiting). */
export type StreamListener = (start: { contentType: string; body: Readable }) => void;

export class Worker {
  state: WorkerState = 'new';
  lastUsedAt = Date.now();
  invocations = 0;
  private peakMemoryMb: number | undefined;
  private readonly log: WorkerLog;
  /** Lambda's own lines, in the function's log format. */
  private readonly platform: PlatformLog;
  /** How the sandbox ended, once it has; and who is waiting for that during an invocation. */
  private readonly exits: SandboxExitWatch;
  /** Init started ahead of the first invocation (prewarm); that invocation reports its duration. */
  private earlyInit: Promise<InitResult> | undefined;

  constructor(private readonly parts: WorkerParts) {
    const logging = parts.fn.logging;
    this.log = new WorkerLog(
      parts.logs,
      parts.fn.name,
      parts.id,
      logging?.format === 'JSON' ? logging.applicationLogLevel : undefined,
    );
    this.platform = new PlatformLog(this.log, parts.fn, parts.functionArn);
    this.exits = new SandboxExitWatch(parts.sandbox.exited, () => {
      // A runtime that dies between invocations (a background thread called exit) must not be leased.
      if (this.state !== 'idle') return;
      this.state = 'dead';
      this.log.loud('the runtime exited while idle; the next invocation starts a new worker');
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
    onStream?: StreamListener,
  ): Promise<InvocationOutcome> {
    if (this.state === 'dead' || this.state === 'busy')
      throw new Error(`worker ${this.id} cannot take an invocation (${this.state})`);
    const cold = this.state === 'new';
    this.state = 'busy';
    this.invocations++;
    const lines: string[] = [];
    this.log.collect(requestId, lines);
    try {
      let initDurationMs: number | undefined;
      if (cold) {
        const init = await this.init();
        initDurationMs = init.durationMs;
        if (!init.ok) return await this.initFailed(init, requestId, lines);
      }
      const { outcome, runtimeRssKb } = await this.run(
        request,
        { requestId, traceId },
        lines,
        initDurationMs,
        onStream,
      );
      await this.report(outcome, runtimeRssKb);
      return outcome;
    } finally {
      this.log.stopCollecting();
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
    this.earlyInit = this.initialize(markStarted);
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

  /** The init of a cold start, or what is left of the one prewarm started. */
  private init(): Promise<InitResult> {
    return (this.earlyInit ?? this.initialize()).catch(async (error: unknown) => {
      // The sandbox could not even start (image missing, engine gone): this worker is unusable.
      await this.kill();
      throw error;
    });
  }

  private initialize(onStarted?: () => void): Promise<InitResult> {
    this.platform.initStart();
    return initialize(this.parts, this.log.output, onStarted);
  }

  private async run(
    request: InvokeRequest,
    ids: { requestId: string; traceId: string },
    lines: string[],
    initDurationMs: number | undefined,
    onStream: StreamListener | undefined,
  ): Promise<{ outcome: InvocationOutcome; runtimeRssKb?: number }> {
    const { fn, attached, sandbox } = this.parts;
    const clock = new DeliveryClock(() => this.platform.start(ids.requestId));
    attached.endpoint.hooks.onDelivered = clock.mark;
    const invocation = endpointInvocation(fn, this.parts.functionArn, request, ids);
    const race = await raceInvocation(
      attached.endpoint,
      invocation,
      enforcedTimeoutMs(fn),
      this.exits,
    );
    const base: OutcomeBase = {
      requestId: ids.requestId,
      logs: lines,
      durationMs: clock.elapsedMs(),
      ...(initDurationMs !== undefined ? { initDurationMs } : {}),
    };
    if (race.kind === 'reply') {
      const { reply } = race;
      if (reply.kind === 'stream') return this.streamed(reply.stream, base, clock, onStream);
      await sandbox.settleOutput(reply.output);
      this.warnIfNearTimeout(base.durationMs);
      return replyOutcome(base, reply);
    }
    attached.endpoint.abandon();
    if (race.kind === 'exit' && !clock.delivered) return this.lost(race.exit);
    clock.mark();
    if (race.kind === 'timeout') return { outcome: await this.timedOut(base) };
    return { outcome: await this.exited(race.exit, base) };
  }

  /**
   * The runtime streams its response: hand the body to the streaming front door (or read it whole,
   * within the 6 MB limit, for a buffered one) and wait for its end, the sandbox's, or the timeout.
   */
  private async streamed(
    stream: ResponseStream,
    start: OutcomeBase,
    clock: DeliveryClock,
    onStream: StreamListener | undefined,
  ): Promise<{ outcome: InvocationOutcome; runtimeRssKb?: number }> {
    const { fn, attached, sandbox } = this.parts;
    const collected = onStream ? undefined : collectStream(stream.body, maxResponseBytes);
    onStream?.({ contentType: stream.contentType, body: stream.body });
    const timeoutMs = enforcedTimeoutMs(fn);
    const race = await raceStreamEnd(
      stream.ended,
      timeoutMs === undefined ? undefined : timeoutMs - clock.elapsedMs(),
      this.exits,
    );
    const base = { ...start, durationMs: clock.elapsedMs() };
    if (race.kind !== 'ended') {
      attached.endpoint.abandon();
      if (race.kind === 'timeout') return { outcome: await this.timedOut(base) };
      return { outcome: await this.exited(race.exit, base) };
    }
    await sandbox.settleOutput(stream.facts.output);
    this.warnIfNearTimeout(base.durationMs);
    const runtime =
      stream.facts.maxRssKb !== undefined ? { runtimeRssKb: stream.facts.maxRssKb } : {};
    const { end } = race;
    if (end.kind === 'error')
      return {
        outcome: {
          ...base,
          kind: 'function-error',
          errorType: end.report.errorType,
          body: end.report.body,
        },
        ...runtime,
      };
    if (end.kind === 'too-large')
      return {
        outcome: {
          ...base,
          kind: 'response-too-large',
          bytes: end.bytes,
          limitBytes: maxStreamedBytes,
        },
        ...runtime,
      };
    const whole = collected ? await collected : { ok: true as const, body: Buffer.alloc(0) };
    if (!whole.ok)
      return { outcome: { ...base, kind: 'response-too-large', bytes: whole.bytes }, ...runtime };
    return { outcome: { ...base, kind: 'succeeded', body: whole.body }, ...runtime };
  }

  /**
   * It died between invocations (after its last reply, before asking for this event): the event
   * is untouched, so the pool retries it on a new worker instead of failing an innocent request.
   */
  private async lost(exit: SandboxExit): Promise<never> {
    this.log.loud(
      `the runtime exited (${exitDescription(exit)}) between invocations; retrying the event on a new worker`,
      'warn',
    );
    await this.kill();
    throw new WorkerLostError(this.id, exitDescription(exit));
  }

  /** An invocation that finished but came close to its timeout is one the next input may break. */
  private warnIfNearTimeout(durationMs: number): void {
    const { fn } = this.parts;
    // Under a debugger the duration is the time someone spent stepping, not the function's.
    if (fn.debug) return;
    const warning = nearTimeoutWarning(fn.name, durationMs, functionTimeout(fn));
    if (warning) this.log.warning(warning);
  }

  private async timedOut(base: OutcomeBase): Promise<InvocationOutcome> {
    const { fn } = this.parts;
    const { timeout } = fn;
    this.platform.message(base.requestId, timeoutMessage(timeout));
    this.log.loud(
      `${timedOutMessage(fn.name, functionTimeout(fn))}; the worker is stopped and will be replaced`,
    );
    await this.kill();
    return { ...base, durationMs: timeout * 1000, kind: 'timed-out', timeoutSeconds: timeout };
  }

  private async exited(exit: SandboxExit, base: OutcomeBase): Promise<InvocationOutcome> {
    await this.kill();
    const how = exitDescription(exit);
    if (exit.oomKilled) {
      this.platform.runtimeExited(base.requestId, how, 'Runtime.OutOfMemory');
      this.log.loud(
        `ran out of memory (limit ${this.parts.fn.memorySize} MB); the worker will be replaced`,
      );
      return { ...base, kind: 'out-of-memory' };
    }
    this.platform.runtimeExited(base.requestId, how, 'Runtime.ExitError');
    this.log.loud(`the runtime exited (${how}) during an invocation; the worker will be replaced`);
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
    this.platform.start(requestId);
    let outcome: InvocationOutcome;
    if (init.failure.kind === 'init-error') {
      await this.kill();
      this.log.loud(
        `init failed (${init.failure.report.errorType}); the next invocation starts a new worker`,
      );
      outcome = {
        ...base,
        kind: 'function-error',
        errorType: init.failure.report.errorType,
        body: init.failure.report.body,
      };
    } else if (init.failure.kind === 'timeout') {
      this.platform.message(requestId, timeoutMessage(this.parts.fn.timeout));
      this.log.loud(
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
    this.platform.finished(
      invocationReportFacts(outcome, this.parts.fn.memorySize, latest ?? this.peakMemoryMb),
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
}
