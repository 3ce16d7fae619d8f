/**
 * When the runtime took the event. Duration counts from then, and START is logged then, so nothing
 * is logged for an event the runtime never took.
 */
export class DeliveryClock {
  delivered = false;
  private deliveredAt = performance.now();

  constructor(private readonly onDelivered: () => void) {}

  /** The runtime took the event (or, after a timeout or crash, is taken to have); the first call counts. */
  readonly mark = (): void => {
    if (this.delivered) return;
    this.delivered = true;
    this.deliveredAt = performance.now();
    this.onDelivered();
  };

  elapsedMs(): number {
    return performance.now() - this.deliveredAt;
  }
}
