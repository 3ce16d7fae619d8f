/**
 * JSON log lines made readable on a terminal: an application record in the layout of Lambda's
 * Node text lines ("<time>\t<request id>\t<LEVEL>\t<message>", extra fields after it, an error's
 * stack below), and platform events as the text format's lines (START, END, REPORT, INIT_START).
 * Anything else is returned as it is. `--json` output never goes through here.
 */
import { endLine, reportLine, startLine, type ReportFacts } from './format.js';
import { jsonObject } from './line-facts.js';
import { parsePlatformEvent } from './platform-json.js';

/** Fields shown in the line's layout; any other field of a record follows the message. */
const laidOut = new Set([
  'timestamp',
  'time',
  'level',
  'requestId',
  'message',
  'logger',
  'errorType',
  'errorMessage',
  'stackTrace',
  'location',
  'endpointName',
  'region',
]);

export function readableMessage(message: string): string {
  const object = jsonObject(message);
  if (!object) return message;
  const event = parsePlatformEvent(object);
  if (event) return readablePlatform(event.type, event.record);
  if (typeof object.level !== 'string' || !('message' in object)) return message;
  return readableRecord(object);
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
const num = (value: unknown) => (typeof value === 'number' ? value : undefined);

function readableRecord(object: Record<string, unknown>): string {
  let body = object.message;
  // Node's console.error(error): the message is the error's own fields.
  const nested = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const errorType = object.errorType ?? nested.errorType;
  const errorMessage = object.errorMessage ?? nested.errorMessage;
  const stack = object.stackTrace ?? nested.stackTrace;
  if (nested.errorType !== undefined) body = `${text(errorType)}: ${text(errorMessage)}`;
  const extras = Object.fromEntries(Object.entries(object).filter(([key]) => !laidOut.has(key)));
  const head = [
    text(object.timestamp ?? ''),
    text(object.requestId ?? 'undefined'),
    text(object.level),
    text(body),
  ].join('\t');
  const lines = [Object.keys(extras).length > 0 ? `${head} ${JSON.stringify(extras)}` : head];
  // Node's stack starts with "Type: message"; Python's traceback does not, so the error is named first.
  const named = Array.isArray(stack) && text(stack[0]).startsWith(`${text(errorType)}:`);
  if (object.errorType !== undefined && nested.errorType === undefined && !named)
    lines.push(`${text(errorType)}: ${text(errorMessage)}`);
  if (Array.isArray(stack))
    lines.push(...stack.flatMap((entry) => text(entry).replace(/\n$/, '').split('\n')));
  return lines.join('\n');
}

function readablePlatform(type: string, record: Record<string, unknown>): string {
  const requestId = text(record.requestId ?? '');
  const metrics = (record.metrics ?? {}) as Record<string, unknown>;
  const status = record.status && record.status !== 'success' ? text(record.status) : undefined;
  switch (type) {
    case 'platform.initStart':
      return `INIT_START Runtime Version: ${text(record.runtimeVersion ?? '')}`;
    case 'platform.start':
      return startLine(requestId);
    case 'platform.runtimeDone':
      return status ? `${endLine(requestId)}\tStatus: ${status}` : endLine(requestId);
    case 'platform.report': {
      const facts: ReportFacts = {
        requestId,
        durationMs: num(metrics.durationMs) ?? 0,
        memorySizeMb: num(metrics.memorySizeMB) ?? 0,
        ...(num(metrics.maxMemoryUsedMB) !== undefined
          ? { maxMemoryUsedMb: num(metrics.maxMemoryUsedMB) }
          : {}),
        ...(num(metrics.initDurationMs) !== undefined
          ? { initDurationMs: num(metrics.initDurationMs) }
          : {}),
        ...(status === 'timeout' || status === 'error' ? { status } : {}),
        ...(typeof record.errorType === 'string' ? { errorType: record.errorType } : {}),
      };
      return reportLine(facts);
    }
    default:
      return `${type} ${JSON.stringify(record)}`;
  }
}
