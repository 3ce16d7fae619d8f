/**
 * The workers of one function: at most `concurrency` of them, warm ones reused, a bounded queue of
 * invocations waiting for a worker, and throttling beyond that. Workers are leased for exactly one
 * invocation; a worker that comes back dead (timeout, crash, OOM) or from an older code generation
 * is disposed and its capacity goes to the next waiter.
 */
import type { ResolvedFunction } from '../../config/load.js';
import type { WorkerFactory } from '../workers/core/worker-factory.js';
import type { Worker } from '../workers/core/worker.js';

interface Waiter {
  handler: string;
  resolve: (worker: Worker) => void;
  reject: (error: Error) => void;
}

export interface FunctionPoolStats {
  idle: number;
  busy: number;
  starting: number;
  queued: number;
}

export class FunctionPool {
  private idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private starting = 0;
  /** Workers being created ahead of demand (prewarm); requests wait for them instead of starting more. */
  private warming = 0;
  private readonly waiters: Waiter[] = [];
  private generation = 0;
  private readonly generationOf = new WeakMap<Worker, number>();
  private closed = false;

  constructor(
    public fn: ResolvedFunction,
    private readonly factory: WorkerFactory,
    private readonly queueSize: number,
  ) {}

  /** A worker for this invocation, or 'throttled' when every worker is busy and the queue is full. */
  acquire(handler: string): Promise<Worker> | 'throttled' {
    if (this.closed) return Promise.reject(new Error(`function ${this.fn.name} is shutting down`));
    const now = this.take(handler);
    if (now) return now;
    if (this.waiters.length >= this.queueSize) return 'throttled';
    return new Promise((resolve, reject) => this.waiters.push({ handler, resolve, reject }));
  }

  release(worker: Worker): void {
    this.busy.delete(worker);
    if (
      worker.state === 'dead' ||
      this.closed ||
      (this.generationOf.get(worker) ?? -1) < this.generation
    ) {
      const disposed = worker.dispose();
      // A debugged function keeps a worker up for its debugger to (re)attach to before the next
      // request; it starts once the old one has let go of the debugger port.
      if (this.fn.debug && !this.closed)
        void disposed.then(async () => {
          if (this.waiters.length === 0) await this.prewarm();
        });
    } else {
      this.idle.push(worker);
    }
    this.serveWaiters();
  }

  /** New code: drop warm workers now and busy ones when their invocation ends. */
  async recycle(fn?: ResolvedFunction): Promise<void> {
    await Promise.allSettled(this.retire(fn).map((worker) => worker.dispose()));
  }

  /** The synchronous half of recycle: later leases get new workers; returns the warm ones to stop. */
  retire(fn?: ResolvedFunction): Worker[] {
    if (fn) this.fn = fn;
    this.generation += 1;
    const old = this.idle;
    this.idle = [];
    return old;
  }

  /** Workers in use or warm right now (before a recycle: whether the function is "hot"). */
  get warmCount(): number {
    return this.idle.length + this.busy.size;
  }

  /** When this function last finished an invocation (0 if never). */
  get lastUsedAt(): number {
    return Math.max(
      0,
      ...this.idle.map((worker) => worker.lastUsedAt),
      ...[...this.busy].map((worker) => worker.lastUsedAt),
    );
  }

  /**
   * Start one worker ahead of demand, for the current code: it initializes at once and waits idle,
   * so the next request does not pay for the container start and the imports. Requests that come
   * meanwhile wait for it rather than start another. Resolves once the worker's sandbox is running,
   * with `ready` for the end of its init; never rejects: a failure here is met again, and
   * reported, by the first invocation or the next request.
   */
  async prewarm(): Promise<{ ready: Promise<void> }> {
    const none = { ready: Promise.resolve() };
    if (this.closed || this.capacityUsed() >= this.fn.concurrency) return none;
    const generation = this.generation;
    this.starting += 1;
    this.warming += 1;
    let worker: Worker | undefined;
    try {
      worker = await this.factory.create(this.fn, this.fn.handler);
    } catch {
      // The next request creates its own worker and reports why that fails.
    } finally {
      this.starting -= 1;
      this.warming -= 1;
    }
    if (!worker || this.closed || generation !== this.generation) {
      if (worker) void worker.dispose();
      this.serveWaiters();
      return none;
    }
    this.generationOf.set(worker, generation);
    const warm = worker.prewarm();
    this.idle.push(worker);
    this.serveWaiters();
    await warm.started;
    return { ready: warm.ready };
  }

  /** Dispose workers idle for longer than maxIdleMs (Lambda freezes, then reclaims, idle environments). */
  async reap(maxIdleMs: number, now = Date.now()): Promise<number> {
    const expired = this.idle.filter(
      (worker) => now - worker.lastUsedAt >= maxIdleMs || worker.state === 'dead',
    );
    if (expired.length === 0) return 0;
    this.idle = this.idle.filter((worker) => !expired.includes(worker));
    await Promise.allSettled(expired.map((worker) => worker.dispose()));
    return expired.length;
  }

  stats(): FunctionPoolStats {
    return {
      idle: this.idle.length,
      busy: this.busy.size,
      starting: this.starting,
      queued: this.waiters.length,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0))
      waiter.reject(new Error(`function ${this.fn.name} is shutting down`));
    const all = [...this.idle, ...this.busy];
    this.idle = [];
    await Promise.allSettled(all.map((worker) => worker.dispose()));
  }

  /** A warm worker with the same handler, else a new one if there is capacity. */
  private take(handler: string): Promise<Worker> | undefined {
    // The most recently used worker first: it is the warmest, and under light load the others stay
    // idle long enough to be reaped instead of all being kept busy in turn.
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const worker = this.idle[i]!;
      if (worker.state === 'dead') {
        this.idle.splice(i, 1);
        continue;
      }
      if (worker.handler !== handler) continue;
      this.idle.splice(i, 1);
      this.busy.add(worker);
      return Promise.resolve(worker);
    }
    if (this.capacityUsed() >= this.fn.concurrency && this.idle.length > 0) {
      // At capacity, but a warm worker serves another handler (lbuild invoke --handler): swap it out.
      void this.idle.shift()!.dispose();
    }
    if (this.capacityUsed() >= this.fn.concurrency) return undefined;
    // A worker is being prepared ahead of demand: wait for it rather than start a second one.
    if (this.warming > 0 && handler === this.fn.handler) return undefined;
    this.starting += 1;
    const generation = this.generation;
    return this.factory.create(this.fn, handler).then(
      (worker) => {
        this.starting -= 1;
        this.generationOf.set(worker, generation);
        this.busy.add(worker);
        return worker;
      },
      (error: unknown) => {
        this.starting -= 1;
        this.serveWaiters();
        throw error;
      },
    );
  }

  private capacityUsed(): number {
    return this.idle.length + this.busy.size + this.starting;
  }

  private serveWaiters(): void {
    while (this.waiters.length > 0 && !this.closed) {
      const next = this.waiters[0]!;
      const worker = this.take(next.handler);
      if (!worker) return;
      this.waiters.shift();
      worker.then(next.resolve, next.reject);
    }
  }
}
