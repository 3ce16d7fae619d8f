/**
 * A streamed response (Lambda-Runtime-Function-Response-Mode: streaming) on its way from the
 * runtime to whoever invoked the function. The Runtime API writes what the runtime posts; the front
 * door (InvokeWithResponseStream, a REST route in STREAM mode, a Function URL in RESPONSE_STREAM
 * mode) reads `body` as it arrives; `ended` says how the stream ended once the runtime is done.
 *
 * The body is a plain Readable with backpressure: a slow client slows the runtime's writes down,
 * as on Lambda, instead of the emulator buffering up to 200 MB. It always ends (never errors), so
 * a consumer can pipe it and look at `ended` for a mid-stream error, a timeout or a crash.
 */
import { PassThrough, type Readable } from 'node:stream';
import type { RuntimeErrorReport, RuntimeFacts } from './protocol.js';

/** Lambda's cap on a streamed response: 200 MB (what the quotas page calls the streamed payload). */
export const maxStreamedBytes = 200 * 1024 * 1024;

/** The content type of a stream that starts with HttpResponseStream's JSON prelude and 8 NUL bytes. */
export const httpIntegrationContentType = 'application/vnd.awslambda.http-integration-response';

/** Lambda's default when the runtime names no content type. */
export const defaultStreamContentType = 'application/octet-stream';

export type StreamEnd =
  /** The runtime ended the body without an error trailer. */
  | { kind: 'complete'; bytes: number }
  /** The runtime ended the body with Lambda-Runtime-Function-Error-Type/-Body trailers. */
  | { kind: 'error'; bytes: number; report: RuntimeErrorReport }
  /** Over maxStreamedBytes: the rest was dropped. */
  | { kind: 'too-large'; bytes: number }
  /** The connection broke before the body ended (the runtime died, or we stopped it). */
  | { kind: 'broken'; bytes: number };

export class ResponseStream {
  readonly body: Readable;
  readonly ended: Promise<StreamEnd>;
  private readonly pass = new PassThrough();
  private bytes = 0;
  private settle!: (end: StreamEnd) => void;
  private done = false;
  /** What lbuild's bootstrap said about the runtime in the stream's trailers (AWS's clients: none). */
  facts: RuntimeFacts = {};

  constructor(readonly contentType: string) {
    this.body = this.pass;
    this.ended = new Promise((resolve) => (this.settle = resolve));
    // A reader that stops early (its client hung up) destroys the body; the runtime's remaining
    // bytes are then dropped, never thrown at the emulator.
    this.pass.on('error', () => undefined);
  }

  get bytesWritten(): number {
    return this.bytes;
  }

  /**
   * Pass a chunk on. Resolves when the reader wants more (backpressure), false once the stream is
   * over (ended, or over the size limit): the caller stops reading the runtime's body then.
   */
  async write(chunk: Buffer): Promise<boolean> {
    if (this.done) return false;
    if (this.bytes + chunk.length > maxStreamedBytes) {
      this.finish({ kind: 'too-large', bytes: this.bytes + chunk.length });
      return false;
    }
    this.bytes += chunk.length;
    if (this.pass.destroyed) return false;
    if (this.pass.write(chunk)) return true;
    await new Promise<void>((resolve) => {
      const go = () => {
        this.pass.off('drain', go);
        this.pass.off('close', go);
        resolve();
      };
      this.pass.on('drain', go);
      this.pass.on('close', go);
    });
    return !this.done;
  }

  complete(): void {
    this.finish({ kind: 'complete', bytes: this.bytes });
  }

  fail(report: RuntimeErrorReport): void {
    this.finish({ kind: 'error', bytes: this.bytes, report });
  }

  broken(): void {
    this.finish({ kind: 'broken', bytes: this.bytes });
  }

  private finish(end: StreamEnd): void {
    if (this.done) return;
    this.done = true;
    this.pass.end();
    this.settle(end);
  }
}
