/**
 * The environments of one web function and where each request goes: to the first environment with
 * room below maxConcurrencyPerEnvironment (one that is still starting counts: the request waits for
 * it, as Lambda queues requests for a new environment), else to a new environment while fewer than
 * maxEnvironments run, else throttled. A crashed environment is dropped; the next request gets a
 * fresh one. Hot reload drains: old environments take no new requests and stop when idle. An
 * environment idle for idleMs stops too: Lambda scales a web function to zero without traffic.
 */
import type { ResolvedFunction } from '../../config/resolved-project.js';
import { webAnswers, type WebAnswer } from './web-answers.js';
import type { WebEnvironment, WebInitError } from './web-environment.js';

/** How long shutdown waits for in-flight requests ("best effort" in Lambda's words). (inferred) */
const drainLimitMs = 2000;
/** As event workers: a warm environment unused this long is stopped. (Lambda's own delay: inferred) */
export const defaultWebIdleMs = 5 * 60_000;

export interface WebPoolOptions {
  fn: ResolvedFunction;
  /** A new environment on the current code (the owner knows the image and the names). */
  create(): WebEnvironment;
  idleMs?: number;
}

export type Lease =
  | {
      env: WebEnvironment;
      /** The request is over; `broken`: its connection failed, so the environment is dead. */
      release(broken?: boolean): void;
    }
  | { answer: WebAnswer };

export class WebFunctionPool {
  private readonly environments = new Set<WebEnvironment>();
  private readonly idleTimers = new Map<WebEnvironment, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: WebPoolOptions) {}

  get running(): WebEnvironment[] {
    return [...this.environments];
  }

  async acquire(requestId: string): Promise<Lease> {
    if (this.closed) return { answer: webAnswers.stopping() };
    const web = this.options.fn.web!;
    let env = this.running.find(
      (e) =>
        (e.state === 'starting' || e.state === 'ready') &&
        e.inFlight < web.maxConcurrencyPerEnvironment,
    );
    const routable = this.running.filter((e) => e.state !== 'draining').length;
    if (!env && routable >= web.maxEnvironments)
      return { answer: webAnswers.throttled(web.maxEnvironments) };
    // Synchronous up to here: requests arriving together share a starting environment.
    env ??= this.start();
    clearTimeout(this.idleTimers.get(env));
    env.inFlight += 1;
    env.requestIds.add(requestId);
    const release = (broken = false) => {
      env.inFlight -= 1;
      env.requestIds.delete(requestId);
      // A refused or reset connection is seen before Docker reports the exit: stop routing there now.
      if (broken || (env.state === 'draining' && env.inFlight === 0)) void this.retire(env);
      else if (env.inFlight === 0) this.stopWhenIdle(env);
    };
    try {
      await env.ready;
    } catch (error) {
      release();
      const failure = error as WebInitError;
      return { answer: webAnswers.initFailed(failure.errorType, failure.reason) };
    }
    return { env, release };
  }

  /** The code changed: new requests go to new environments; old ones finish theirs, then stop. */
  reload(): void {
    for (const env of this.running) {
      env.drain();
      if (env.inFlight === 0) void this.retire(env);
    }
  }

  /** Shutdown as Lambda does it: stop routing, let in-flight requests finish (a bounded wait), stop. */
  async close(drainMs = drainLimitMs): Promise<void> {
    this.closed = true;
    const deadline = Date.now() + drainMs;
    await Promise.all(
      this.running.map(async (env) => {
        env.drain();
        while (env.inFlight > 0 && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 50));
        await this.retire(env);
      }),
    );
  }

  private start(): WebEnvironment {
    const env = this.options.create();
    this.environments.add(env);
    // A crash (or an init failure) takes it out of routing at once; its requests see the 502.
    void env.exited.then(() => {
      if (this.environments.has(env)) void this.retire(env);
    });
    return env;
  }

  private stopWhenIdle(env: WebEnvironment): void {
    const timer = setTimeout(() => {
      if (env.inFlight === 0) void this.retire(env);
    }, this.options.idleMs ?? defaultWebIdleMs);
    timer.unref();
    this.idleTimers.set(env, timer);
  }

  private async retire(env: WebEnvironment): Promise<void> {
    clearTimeout(this.idleTimers.get(env));
    this.idleTimers.delete(env);
    this.environments.delete(env);
    await env.stop();
  }
}
