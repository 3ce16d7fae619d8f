/**
 * The lines Lambda itself writes into a function's log, in the function's log format: START, END,
 * REPORT and plain messages (Text, as always), or platform.* events filtered by the system log
 * level, and messages as JSON lines (JSON). The worker says what happened; this says it in the
 * right shape.
 */
import type { ResolvedFunction } from '../../../config/load.js';
import {
  endLine,
  platformErrorLine,
  reportLine,
  startLine,
  type ReportFacts,
} from '../../logs/format.js';
import { defaultLogging, platformEventShown } from '../../logs/log-levels.js';
import {
  initStartJson,
  platformErrorJson,
  reportJson,
  runtimeDoneJson,
  startJson,
} from '../../logs/platform-json.js';
import type { LogKind } from '../../logs/sink.js';
import type { WorkerLog } from './worker-log.js';

export class PlatformLog {
  private readonly json: boolean;
  private readonly systemLevel: NonNullable<ResolvedFunction['logging']>['systemLogLevel'];

  constructor(
    private readonly log: WorkerLog,
    private readonly fn: ResolvedFunction,
    private readonly functionArn: string,
  ) {
    const logging = fn.logging ?? defaultLogging;
    this.json = logging.format === 'JSON';
    this.systemLevel = logging.systemLogLevel;
  }

  /** A platform event, when the function's system log level lets it through. */
  private event(type: string, line: string, kind: LogKind): void {
    if (platformEventShown(type, this.systemLevel)) this.log.platform(line, kind);
  }

  /** Init begins (cold start). The text format has no line for it. */
  initStart(): void {
    if (this.json)
      this.event(
        'platform.initStart',
        initStartJson({ name: this.fn.name, runtimeName: this.fn.runtime.name }),
        'platform',
      );
  }

  start(requestId: string): void {
    if (this.json) this.event('platform.start', startJson(requestId, this.functionArn), 'start');
    else this.log.platform(startLine(requestId), 'start');
  }

  /** The platform's own message about an invocation ("Task timed out after 3.00 seconds"). */
  message(requestId: string, text: string): void {
    this.log.platform(
      this.json ? platformErrorJson(requestId, text) : platformErrorLine(requestId, text),
      'platform',
    );
  }

  /** The runtime exited during an invocation: Lambda's two lines (the reason, then the error type). */
  runtimeExited(requestId: string, how: string, errorType: string): void {
    const reason = `RequestId: ${requestId} Error: Runtime exited with error: ${how}`;
    if (this.json) {
      this.log.platform(
        platformErrorJson(requestId, `Error: Runtime exited with error: ${how}`),
        'platform',
      );
      this.log.platform(platformErrorJson(requestId, errorType), 'platform');
      return;
    }
    this.log.platform(reason, 'platform');
    this.log.platform(errorType, 'platform');
  }

  /** The invocation is over: END and REPORT, or platform.runtimeDone and platform.report. */
  finished(facts: ReportFacts): void {
    if (!this.json) {
      this.log.platform(endLine(facts.requestId), 'end');
      this.log.platform(reportLine(facts), 'report');
      return;
    }
    this.event('platform.runtimeDone', runtimeDoneJson(facts), 'end');
    this.event('platform.report', reportJson(facts), 'report');
  }
}
