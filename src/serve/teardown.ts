/**
 * What a start-up has done, undone in reverse: each phase defers its own undo as soon as it has
 * something to undo, so a failure or Ctrl-C at any point tears down exactly what exists.
 */
export class Teardown {
  private readonly steps: (() => unknown)[] = [];
  private running: Promise<void> | undefined;

  /** Undo this at teardown, before everything deferred earlier. */
  defer(step: () => unknown): void {
    this.steps.push(step);
  }

  /**
   * Runs every step, last deferred first; a step that fails does not stop the others (teardown is
   * best effort). Runs once: later calls wait for the same run.
   */
  run(): Promise<void> {
    this.running ??= this.drain();
    return this.running;
  }

  private async drain(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step();
      } catch {
        // Best effort: the remaining steps still run.
      }
    }
  }
}
