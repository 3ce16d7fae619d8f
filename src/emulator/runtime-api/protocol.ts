/**
 * The fixed vocabulary of the Lambda Runtime API: paths, header names, limits and the error body
 * shape. Kept in one place so the server, the workers and the tests agree on every spelling.
 */

export const apiVersionPrefix = '/2018-06-01';

export const runtimeHeaders = {
  requestId: 'lambda-runtime-aws-request-id',
  deadlineMs: 'lambda-runtime-deadline-ms',
  functionArn: 'lambda-runtime-invoked-function-arn',
  traceId: 'lambda-runtime-trace-id',
  clientContext: 'lambda-runtime-client-context',
  cognitoIdentity: 'lambda-runtime-cognito-identity',
  functionErrorType: 'lambda-runtime-function-error-type',
  /** "streaming" on a /response whose body is streamed (chunked, with error trailers). */
  responseMode: 'lambda-runtime-function-response-mode',
  /** Trailer of a streamed response that failed mid-stream: base64 of the error JSON. */
  functionErrorBody: 'lambda-runtime-function-error-body',
  /**
   * lbuild's own bootstraps (not AWS's clients) add this to /response and /error: how many bytes
   * the runtime has written to stdout and stderr since it started ("<stdout> <stderr>"), so the
   * worker knows exactly which output to wait for before it closes the invocation's log.
   */
  outputBytes: 'x-lbuild-output-bytes',
  /**
   * lbuild's bootstraps also add the runtime process's peak resident memory (getrusage's
   * ru_maxrss, the same number as /proc's VmHWM), so a host-process worker's REPORT line needs no
   * /proc read per invocation.
   */
  maxRssKb: 'x-lbuild-max-rss-kb',
} as const;

/** What lbuild's bootstraps say about the runtime along with a result (AWS's clients say nothing). */
export interface RuntimeFacts {
  output?: OutputMark;
  maxRssKb?: number;
}

export function parseMaxRssKb(value: string | undefined): number | undefined {
  if (!value || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

/** Bytes a runtime has written to each stream since it started. */
export interface OutputMark {
  stdout: number;
  stderr: number;
}

export function parseOutputMark(value: string | undefined): OutputMark | undefined {
  if (!value) return undefined;
  const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(value);
  return match ? { stdout: Number(match[1]), stderr: Number(match[2]) } : undefined;
}

/**
 * Lambda's synchronous response limit is 6 MB. AWS reports the limit as 6291556 bytes in its error
 * message (6 MiB plus 100 bytes of framing); we accept exactly that many bytes so a function that
 * works here also fits there.
 */
export const maxResponseBytes = 6 * 1024 * 1024 + 100;

/** Error bodies of the Runtime API itself (not function errors): what RIE and Lambda send. */
export interface RuntimeApiErrorBody {
  errorMessage: string;
  errorType: string;
}

export function runtimeApiError(errorType: string, errorMessage: string): RuntimeApiErrorBody {
  return { errorType, errorMessage };
}

/** A runtime's own report of a failed invocation or init, as posted to /error or /init/error. */
export interface RuntimeErrorReport {
  /** From Lambda-Runtime-Function-Error-Type, else the body's errorType, else "Unhandled". */
  errorType: string;
  /** The body exactly as posted (usually {"errorMessage","errorType","stackTrace"}). */
  body: Buffer;
}

/**
 * Pick the error type a runtime reported. The header wins because AWS's clients always set it;
 * lbuild's bootstraps set both. A body that is not JSON still yields a usable type.
 */
export function reportedErrorType(header: string | undefined, body: Buffer): string {
  if (header && header.trim() !== '') return header.trim();
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errorType?: unknown };
    if (typeof parsed.errorType === 'string' && parsed.errorType !== '') return parsed.errorType;
  } catch {
    // Not JSON: Lambda still accepts it and calls the error Unhandled.
  }
  return 'Unhandled';
}
