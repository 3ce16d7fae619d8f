/**
 * Reading HttpResponseStream's framing off a streamed response: when the function named the
 * content type application/vnd.awslambda.http-integration-response, the stream starts with a JSON
 * prelude ({statusCode, headers, multiValueHeaders, cookies}) and 8 NUL bytes, then the body.
 * The HTTP front doors that stream (REST routes in STREAM mode, Function URLs in RESPONSE_STREAM
 * mode) answer with the prelude's status and headers and pass the rest on as the body.
 */
import { PassThrough, type Readable } from 'node:stream';
import {
  headerText,
  isPlainObject,
  readHeaderObject,
  readStatusCode,
} from '../apigw/proxy-response.js';
import { httpIntegrationContentType } from '../runtime-api/response-stream.js';

const delimiter = Buffer.alloc(8);
/** A prelude is a small JSON object; past this the stream is not what HttpResponseStream writes. */
const maxPreludeBytes = 1024 * 1024;

export type PreludeRead =
  /** The stream had a prelude: its JSON (not yet validated) and the body after the 8 NUL bytes. */
  | { kind: 'http'; prelude: unknown; body: Readable }
  /** The stream is not HttpResponseStream's: all of it is the body. */
  | { kind: 'raw'; body: Readable }
  /** The stream ended (or broke) before the prelude was complete, or the prelude is not JSON. */
  | { kind: 'malformed'; reason: string };

export function readHttpPrelude(contentType: string, body: Readable): Promise<PreludeRead> {
  if (contentType.split(';')[0]!.trim().toLowerCase() !== httpIntegrationContentType)
    return Promise.resolve({ kind: 'raw', body });
  return new Promise((resolve) => {
    let seen = Buffer.alloc(0);
    const stop = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('close', onEnd);
    };
    const onEnd = () => {
      stop();
      resolve({ kind: 'malformed', reason: 'the stream ended before its prelude and 8 NUL bytes' });
    };
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const at = seen.indexOf(delimiter);
      if (at < 0) {
        if (seen.length <= maxPreludeBytes) return;
        stop();
        body.resume();
        resolve({ kind: 'malformed', reason: 'no 8 NUL bytes after the first 1 MB of the stream' });
        return;
      }
      stop();
      body.pause();
      let prelude: unknown;
      try {
        prelude = JSON.parse(seen.subarray(0, at).toString('utf8'));
      } catch {
        body.resume();
        resolve({ kind: 'malformed', reason: 'the stream prelude is not JSON' });
        return;
      }
      const rest = new PassThrough();
      const after = seen.subarray(at + delimiter.length);
      if (after.length > 0) rest.write(after);
      body.pipe(rest);
      // A reader of `rest` that stops early must not leave the function's stream stalled.
      rest.on('close', () => body.resume());
      resolve({ kind: 'http', prelude, body: rest });
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('close', onEnd);
  });
}

/**
 * Status and headers from a prelude, or why it is malformed: statusCode (default 200), headers,
 * multiValueHeaders (their values replace a header of the same name) and cookies (one set-cookie
 * each).
 */
export function preludeHead(
  prelude: unknown,
): { statusCode: number; headers: Array<[string, string]> } | string {
  if (!isPlainObject(prelude)) return 'the prelude must be a JSON object';
  const statusCode = prelude.statusCode === undefined ? 200 : readStatusCode(prelude.statusCode);
  if (typeof statusCode === 'string') return statusCode;
  const headers = readHeaderObject(prelude.headers);
  if (typeof headers === 'string') return headers;
  if (isPlainObject(prelude.multiValueHeaders)) {
    for (const [name, values] of Object.entries(prelude.multiValueHeaders)) {
      if (!Array.isArray(values)) return `multiValueHeaders.${name} must be an array`;
      const replaced = headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
      headers.length = 0;
      headers.push(...replaced);
      for (const value of values) {
        const text = headerText(value);
        if (text === undefined) return `multiValueHeaders.${name} must hold strings`;
        headers.push([name, text]);
      }
    }
  }
  if (prelude.cookies !== undefined) {
    if (!Array.isArray(prelude.cookies) || prelude.cookies.some((c) => typeof c !== 'string'))
      return 'cookies must be an array of strings';
    for (const cookie of prelude.cookies as string[]) headers.push(['set-cookie', cookie]);
  }
  return { statusCode, headers };
}
