/** The worker's runtime died before it took the event; the invocation can safely run elsewhere. */
export class WorkerLostError extends Error {
  constructor(
    readonly workerId: string,
    readonly exit: string,
  ) {
    super(`worker ${workerId} exited (${exit}) before taking the event`);
  }
}
