/**
 * Compress with up to `concurrency` entries in flight, hand them out strictly in sorted order. A
 * finished compression frees its slot at once (not when its turn to be written comes), so a big
 * entry at the head of the queue keeps one core while the others go on with the small ones behind it.
 */
import type { CompressedEntry } from './compress.js';

/**
 * Completed compressions waiting for their turn to be written are held in memory; beyond this many
 * bytes we stop starting new ones, so a huge entry at the head cannot make us buffer everything.
 */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export class CompressionQueue<Entry extends CompressedEntry = CompressedEntry> {
  private readonly results: Array<Promise<Entry> | undefined>;
  private started = 0;
  private running = 0;
  /** Entries handed out (and written) so far: the next one to hand out has this index. */
  private taken = 0;
  private bufferedBytes = 0;
  private stopped = false;

  /** `compress(index)`: load and compress the index-th entry (in the order they are written). */
  constructor(
    private readonly count: number,
    private readonly concurrency: number,
    private readonly compress: (index: number) => Promise<Entry>,
  ) {
    this.results = new Array(count);
  }

  /** Start as many compressions as the limits allow; called again whenever a slot frees. */
  pump(): void {
    while (
      !this.stopped &&
      this.started < this.count &&
      this.running < this.concurrency &&
      (this.started === this.taken || this.bufferedBytes < MAX_BUFFERED_BYTES)
    ) {
      const index = this.started++;
      this.running++;
      const result = this.compress(index).finally(() => {
        this.running--;
      });
      this.results[index] = result;
      // The writer awaits `result` in order; this handler only refills the slot (and keeps a
      // rejection that the writer never reaches, after an earlier failure, from being unhandled).
      result.then(
        (compressed) => {
          this.bufferedBytes += compressed.data.length;
          this.pump();
        },
        () => {},
      );
    }
  }

  /** The next entry's compression, in order; pass its result to `release` once it has settled. */
  next(): Promise<Entry> {
    return this.results[this.taken]!;
  }

  /** The next entry is out of the queue: its buffer no longer counts, and a new one may start. */
  release(compressed: Entry): void {
    this.results[this.taken] = undefined;
    this.bufferedBytes -= compressed.data.length;
    this.taken++;
    this.pump();
  }

  /** Start nothing more, and wait for the compressions already in the thread pool to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.results.filter((result) => result !== undefined));
  }
}
