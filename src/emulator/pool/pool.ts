/**
 * The Invoker the fronts (Invoke API, API Gateway) call: routes each invocation to its function's
 * pool, answers with exactly one InvocationOutcome, queues Event invocations, reaps idle workers,
 * and recycles a function's workers when its code changes.
 */
import type { ResolvedFunction } from '../../config/load.js';
import type { LogSink } from '../logs/sink.js';
import type { InvocationOutcome, InvokeRequest, Invoker, StreamingInvocation } from '../types.js';
import type { WorkerFactory } from '../workers/core/worker-factory.js';
import type { StreamListener } from '../workers/core/worker.js';
import { WorkerLostError } from '../workers/core/worker-lost-error.js';
import { EventQueue } from './event-queue.js';
import { FunctionPool, type FunctionPoolStats } from './function-pool.js';
import { newRequestId, newTraceId } from './ids.js';

export interface PoolOptions {
  functions: ResolvedFunction[];
  factory: WorkerFactory;
  logs: LogSink;
  /** Invocations that may wait for a busy function before it throttles (per function). Default 100. */
  queueSize?: number;
  /** A warm worker unused this long is stopped. Default 5 minutes. */
  idleTimeoutMs?: number;
}

export class WorkerPool implements Invoker {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly events: EventQueue;
  private readonly reaper: NodeJS.Timeout;
  private closed = false;
  /** Counts code changes, so the replacement workers of an older one stop being started. */
  private recycleRound = 0;
  /** Replacement workers still being started (dispose waits, so none outlives the factory). */
  private prewarming: Promise<void> = Promise.resolve();

  constructor(private readonly options: PoolOptions) {
    for (const fn of options.functions)
      this.pools.set(fn.name, new FunctionPool(fn, options.factory, options.queueSize ?? 100));
    this.events = new EventQueue((request) => this.invoke(request), options.logs);
    const idleTimeoutMs = options.idleTimeoutMs ?? 5 * 60_000;
    this.reaper = setInterval(
      () => void this.reap(idleTimeoutMs),
      Math.max(1_000, Math.min(idleTimeoutMs, 30_000)),
    );
    // The reaper alone must not keep a process (a test, a one-shot `lbuild invoke`) alive.
    this.reaper.unref();
  }

  hasFunction(name: string): boolean {
    return this.pools.has(name);
  }

  functionNames(): string[] {
    return [...this.pools.keys()];
  }

  /** `onStream`: told when the function starts streaming (else a streamed response is read whole, 6 MB max). */
  async invoke(
    request: InvokeRequest,
    requestId = request.requestId ?? newRequestId(),
    onStream?: StreamListener,
  ): Promise<InvocationOutcome> {
    const pool = this.pools.get(request.functionName);
    if (!pool) return { kind: 'unknown-function', requestId, logs: [] };
    const handler = request.handlerOverride ?? pool.fn.handler;
    const traceId = request.traceId ?? newTraceId();
    for (let attempt = 1; ; attempt++) {
      const lease = pool.acquire(handler);
      if (lease === 'throttled') return this.throttled(pool.fn, requestId);
      const worker = await lease;
      try {
        return await worker.invoke(request, requestId, traceId, onStream);
      } catch (error) {
        // A warm worker that died while idle never saw the event: run it on a fresh one.
        if (!(error instanceof WorkerLostError) || attempt >= 3) throw error;
      } finally {
        pool.release(worker);
      }
    }
  }

  /**
   * The streaming front doors' way in: resolves when the function starts streaming (the worker
   * stays leased until the stream ends and `outcome` settles), or with the whole outcome when it
   * answered without streaming. Up to 200 MB pass through; backpressure reaches the runtime.
   */
  invokeStreaming(request: InvokeRequest): Promise<StreamingInvocation> {
    return new Promise((resolve, reject) => {
      const requestId = newRequestId();
      let streamed = false;
      const outcome = this.invoke(request, requestId, ({ contentType, body }) => {
        streamed = true;
        resolve({ kind: 'streamed', stream: { requestId, contentType, body, outcome } });
      });
      outcome.then(
        (whole) => !streamed && resolve({ kind: 'buffered', outcome: whole }),
        (error: unknown) => !streamed && reject(error),
      );
    });
  }

  private throttled(fn: ResolvedFunction, requestId: string): InvocationOutcome {
    this.options.logs.emit({
      functionName: fn.name,
      requestId,
      kind: 'platform',
      level: 'warn',
      message: `throttled: ${fn.concurrency} concurrent invocations and ${this.options.queueSize ?? 100} queued (raise "concurrency" in lbuild.json)`,
    });
    return { kind: 'throttled', requestId, logs: [] };
  }

  enqueue(request: InvokeRequest): { requestId: string } {
    const requestId = newRequestId();
    this.events.push(request, requestId);
    return { requestId };
  }

  /** Resolves when every queued Event invocation has run (tests, graceful shutdown). */
  drainEvents(): Promise<void> {
    return this.events.drained();
  }

  /** Drop the warm workers of a function (its code changed); optionally with a new definition. */
  async recycle(functionName: string, fn?: ResolvedFunction): Promise<void> {
    const pool = this.pools.get(functionName);
    if (!pool) return;
    await this.options.factory.invalidate(functionName);
    await pool.recycle(fn);
  }

  /**
   * New code for every function (one package serves them all). Functions that had warm workers
   * get a replacement started at once (most recently used first, one after the other): the next
   * request finds a runtime that is initialized or initializing, instead of paying for the code
   * image, the container start and the imports itself (hot reload). The old workers stop once the
   * first replacement is running, so the engine is not busy removing them while it starts it.
   */
  async recycleAll(): Promise<void> {
    const pools = [...this.pools.values()];
    // A debugged function's debugger port is held by its old worker until that one is gone: its
    // replacement starts after the old one is disposed (debuggedRewarm), not ahead of it.
    const hot = pools
      .filter((pool) => pool.warmCount > 0 && !pool.fn.debug)
      .sort((a, b) => b.lastUsedAt - a.lastUsedAt);
    await this.options.factory.invalidate('*');
    const retired = pools.flatMap((pool) => pool.retire());
    const round = ++this.recycleRound;
    let firstStarted: Promise<unknown> = Promise.resolve();
    if (!this.closed && hot.length > 0) {
      const [first, ...rest] = hot;
      const warming = first!.prewarm();
      firstStarted = warming;
      const chain = warming.then(async ({ ready }) => {
        // The others after the first is ready; a newer code change supersedes what is left.
        await ready;
        for (const pool of rest) {
          if (round !== this.recycleRound || this.closed) return;
          await (
            await pool.prewarm()
          ).ready;
        }
      });
      this.prewarming = Promise.allSettled([this.prewarming, chain]).then(() => undefined);
    }
    await firstStarted;
    await Promise.allSettled(retired.map((worker) => worker.dispose()));
    if (!this.closed) for (const pool of pools) if (pool.fn.debug) void pool.prewarm();
  }

  /**
   * Start a function's worker now, before any request: a debugger can then attach, and set its
   * breakpoints, before the first invocation. Resolves once its sandbox runs (not when init ends:
   * under --debug-wait that is when a debugger attaches); never rejects (the first invocation
   * meets any failure).
   */
  async prewarm(functionName: string): Promise<void> {
    await this.pools.get(functionName)?.prewarm();
  }

  stats(functionName: string): FunctionPoolStats | undefined {
    return this.pools.get(functionName)?.stats();
  }

  async reap(idleTimeoutMs: number): Promise<number> {
    const counts = await Promise.all(
      [...this.pools.values()].map((pool) => pool.reap(idleTimeoutMs)),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.reaper);
    this.events.close();
    await Promise.allSettled([...this.pools.values()].map((pool) => pool.close()));
    await this.prewarming;
    await this.options.factory.dispose();
  }
}
