/**
 * Asynchronous (InvocationType=Event) invocations. Lambda accepts them at once and runs them from
 * an internal queue; a throttled event is retried later rather than dropped. Function errors are
 * logged, not retried: Lambda's two retries come minutes apart, which only confuses local work.
 */
import type { LogSink } from '../logs/sink.js';
import type { InvocationOutcome, InvokeRequest } from '../types.js';
import { outcomeErrorType } from '../workers/core/outcome-payload.js';

type RunInvocation = (request: InvokeRequest, requestId: string) => Promise<InvocationOutcome>;

const maxThrottleDelayMs = 2_000;

export class EventQueue {
  private running = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly run: RunInvocation,
    private readonly logs: LogSink,
  ) {}

  push(request: InvokeRequest, requestId: string): void {
    if (this.closed) return;
    this.running += 1;
    void this.attempt(request, requestId, 1).finally(() => {
      this.running -= 1;
      if (this.running === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    });
  }

  drained(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
  }

  private async attempt(request: InvokeRequest, requestId: string, attempt: number): Promise<void> {
    let outcome: InvocationOutcome;
    try {
      outcome = await this.run(request, requestId);
    } catch (error) {
      this.warn(request, requestId, `asynchronous invocation failed: ${(error as Error).message}`);
      return;
    }
    if (outcome.kind === 'throttled' && !this.closed) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(maxThrottleDelayMs, 50 * 2 ** attempt)),
      );
      return this.attempt(request, requestId, attempt + 1);
    }
    const errorType = outcomeErrorType(outcome);
    if (errorType)
      this.warn(
        request,
        requestId,
        `asynchronous invocation failed with ${errorType} (not retried locally)`,
      );
  }

  private warn(request: InvokeRequest, requestId: string, message: string): void {
    this.logs.emit({
      functionName: request.functionName,
      requestId,
      kind: 'platform',
      level: 'warn',
      message,
    });
  }
}
