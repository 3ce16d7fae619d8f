/**
 * A worker's lines in the log: the runtime's output, the lines Lambda itself writes into the
 * function's log, and worker trouble the developer must notice. While an invocation runs, its
 * output and platform lines are also collected for the invocation's own log (Tail).
 */
import { applicationLineShown } from '../../logs/line-facts.js';
import type { ApplicationLogLevel } from '../../logs/log-levels.js';
import type { LogKind, LogSink } from '../../logs/sink.js';

export class WorkerLog {
  private collecting: { requestId: string; lines: string[] } | undefined;

  constructor(
    private readonly sink: LogSink,
    private readonly functionName: string,
    private readonly workerId: string,
    /**
     * JSON log format: the application log level, which the platform applies to the function's
     * output as Lambda does (print() lines and other lines without a level count as INFO).
     */
    private readonly applicationLevel?: ApplicationLogLevel,
  ) {}

  /** Collect lines into `lines`, tagged with this request id, until stopCollecting. */
  collect(requestId: string, lines: string[]): void {
    this.collecting = { requestId, lines };
  }

  stopCollecting(): void {
    this.collecting = undefined;
  }

  readonly output = (stream: 'stdout' | 'stderr', line: string): void => {
    if (this.applicationLevel && !applicationLineShown(line, this.applicationLevel)) return;
    const current = this.collecting;
    current?.lines.push(line);
    this.sink.emit({
      functionName: this.functionName,
      workerId: this.workerId,
      ...(current ? { requestId: current.requestId } : {}),
      kind: 'output',
      stream,
      message: line,
    });
  };

  /** A line Lambda itself writes into the function's log (START, END, REPORT, timeouts). */
  platform(message: string, kind: LogKind = 'platform'): void {
    const current = this.collecting;
    current?.lines.push(message);
    this.sink.emit({
      functionName: this.functionName,
      workerId: this.workerId,
      ...(current ? { requestId: current.requestId } : {}),
      kind,
      message,
    });
  }

  /**
   * lbuild's warning about the invocation in flight (it came close to its timeout): in the
   * stack's log and in the invocation's own lines, so `lbuild invoke` and Log Tail show it too.
   */
  warning(message: string): void {
    this.collecting?.lines.push(`WARN: ${message}`);
    this.sink.emit({
      functionName: this.functionName,
      workerId: this.workerId,
      ...(this.collecting ? { requestId: this.collecting.requestId } : {}),
      kind: 'platform',
      level: 'warn',
      message,
    });
  }

  /** Worker trouble the developer must notice; not part of the function's own log. */
  loud(message: string, level: 'warn' | 'error' = 'error'): void {
    this.sink.emit({
      functionName: this.functionName,
      workerId: this.workerId,
      ...(this.collecting ? { requestId: this.collecting.requestId } : {}),
      kind: 'platform',
      level,
      message: `worker ${this.workerId}: ${message}`,
    });
  }
}
