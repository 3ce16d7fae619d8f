/**
 * How a worker's sandbox ended, once it has, for whoever waits for that during an invocation.
 * One listener for the worker's whole life: a `sandbox.exited.then` per invocation would pile up on
 * a promise that stays pending while the worker lives (memory growth under load).
 */
import type { SandboxExit } from './sandbox.js';

export class SandboxExitWatch {
  exitedWith: SandboxExit | undefined;
  private listener: ((exit: SandboxExit) => void) | undefined;

  /** `afterExit` runs once, after the current listener (if any) has been told. */
  constructor(exited: Promise<SandboxExit>, afterExit: (exit: SandboxExit) => void) {
    void exited.then((exit) => {
      this.exitedWith = exit;
      this.listener?.(exit);
      afterExit(exit);
    });
  }

  /** Tell `listener` when the sandbox ends (at once if it has ended), until stop(). */
  listen(listener: (exit: SandboxExit) => void): void {
    if (this.exitedWith) listener(this.exitedWith);
    else this.listener = listener;
  }

  stop(): void {
    this.listener = undefined;
  }
}
