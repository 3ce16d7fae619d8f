/**
 * One container at a time publishes a given host port (a debugged function's debugger port): the
 * next worker's container is created only once the previous one is removed, or the engine would
 * refuse it ("port is already allocated") when a worker is replaced (hot reload, a crash).
 */
export class HostPortLock {
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly port: number) {}

  /** Resolves when the port is this caller's; call the returned function once to let it go. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => mine);
    let released = false;
    return previous.then(() => () => {
      if (released) return;
      released = true;
      release();
    });
  }
}
