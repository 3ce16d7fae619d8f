/**
 * What a log line says about itself: its level and its request id, read from the shapes Lambda's
 * runtimes and platform write (JSON objects with "level"/"requestId", platform.* events, Node's
 * and Python's text lines, START/END/REPORT). Used to filter by application log level as the
 * platform does, and by `lbuild logs --level/--request`.
 */
import {
  levelRank,
  normalizeLevel,
  platformEventLevel,
  type ApplicationLogLevel,
} from './log-levels.js';
import { parsePlatformEvent } from './platform-json.js';

/** The line as a JSON object, or undefined; only lines that look like one are parsed. */
export function jsonObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Node's "<time>\t<id>\t<LEVEL>\t..." and Python's "[LEVEL]\t<time>\t<id>\t..." (and "[ERROR] Type: ..."). */
const nodeText = /^\d{4}-\d\d-\d\dT[^\t]*\t([^\t]*)\t([A-Z]+)\t/;
const pythonText = /^\[([A-Z]+)\](?:\t[^\t]*\t([^\t]*)\t)?/;
const platformText = /^(?:START|END|REPORT) RequestId: ([^\s]+)/;

/**
 * A line's level; undefined when it states none (Lambda counts those as INFO when it filters).
 * Platform events have their system level.
 */
export function lineLevel(line: string): ApplicationLogLevel | undefined {
  const object = jsonObject(line);
  if (object) {
    const level = normalizeLevel(object.level);
    if (level) return level;
    const event = parsePlatformEvent(object);
    return event ? platformEventLevel(event.type) : undefined;
  }
  const node = nodeText.exec(line);
  if (node) return normalizeLevel(node[2]);
  const python = pythonText.exec(line);
  if (python) return normalizeLevel(python[1]);
  return platformText.test(line) ? 'INFO' : undefined;
}

/** The request id a line carries in its text, if any. */
export function lineRequestId(line: string): string | undefined {
  const object = jsonObject(line);
  if (object) {
    if (typeof object.requestId === 'string' && object.requestId) return object.requestId;
    const record = parsePlatformEvent(object)?.record;
    return typeof record?.requestId === 'string' ? record.requestId : undefined;
  }
  const id = nodeText.exec(line)?.[1] ?? pythonText.exec(line)?.[2] ?? platformText.exec(line)?.[1];
  return id && id !== 'undefined' ? id : undefined;
}

/**
 * Does the platform pass this line of the function's output at `threshold`? Lambda filters
 * application logs in the JSON format only; a line that states no level counts as INFO.
 */
export function applicationLineShown(line: string, threshold: ApplicationLogLevel): boolean {
  return levelRank(lineLevel(line) ?? 'INFO') >= levelRank(threshold);
}
