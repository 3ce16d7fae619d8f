/**
 * Bytes of a runtime's stdout and stderr received so far, and waiting until a given count has
 * arrived. lbuild's bootstraps report how much they have written (x-lbuild-output-bytes) when they
 * post a result; once that much has arrived here, every line of the invocation is in its log, with
 * no guessing from quiet periods (which cost a container worker milliseconds per invocation).
 */
import type { OutputMark } from '../../runtime-api/protocol.js';

export class OutputCounter {
  readonly received: OutputMark = { stdout: 0, stderr: 0 };
  /** Date.now() of the last chunk (for runtimes that do not report what they wrote). */
  lastOutputAt = 0;
  private waiters: Array<{ mark: OutputMark; resolve: () => void }> = [];

  add(stream: 'stdout' | 'stderr', bytes: number): void {
    this.received[stream] += bytes;
    this.lastOutputAt = Date.now();
    if (this.waiters.length === 0) return;
    const still = [];
    for (const waiter of this.waiters) {
      if (this.reached(waiter.mark)) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  reached(mark: OutputMark): boolean {
    return this.received.stdout >= mark.stdout && this.received.stderr >= mark.stderr;
  }

  /** Resolves once `mark` has been received, or after maxMs (output lost or miscounted). */
  waitFor(mark: OutputMark, maxMs: number): Promise<void> {
    if (this.reached(mark)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        mark,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      }, maxMs);
      this.waiters.push(waiter);
    });
  }
}
