/**
 * A REST API route whose integration has response transfer mode STREAM: API Gateway calls
 * InvokeWithResponseStream and passes the function's stream on as it comes. A function using
 * HttpResponseStream.from sets the status and headers in its prelude ({statusCode, headers,
 * multiValueHeaders, cookies}); a function that does not stream answers as in BUFFERED mode.
 * No integration timeout applies here: a streamed integration may run for up to 15 minutes, which
 * the function's own timeout (900 s at most) already bounds.
 */
import { readHttpPrelude } from '../streaming/http-prelude.js';
import type { Invoker } from '../types.js';
import { gatewayErrors, type GatewayResponse } from './gateway-response.js';
import { responseForOutcome, type MappedOutcome, type OutcomeContext } from './outcomes.js';
import { headerText, isPlainObject, readHeaderObject, readStatusCode } from './proxy-response.js';

export async function streamRoute(
  invoker: Invoker,
  functionName: string,
  payload: Buffer,
  context: OutcomeContext,
): Promise<MappedOutcome> {
  if (!invoker.invokeStreaming)
    return responseForOutcome(await invoker.invoke({ functionName, payload }), context);
  const started = await invoker.invokeStreaming({ functionName, payload });
  if (started.kind === 'buffered') return responseForOutcome(started.outcome, context);
  const { stream } = started;
  const read = await readHttpPrelude(stream.contentType, stream.body);
  if (read.kind === 'malformed') {
    stream.body.resume();
    const outcome = await stream.outcome;
    // An error before the function wrote anything is a function error like any other.
    if (outcome.kind !== 'succeeded') return responseForOutcome(outcome, context);
    return {
      response: gatewayErrors.internalServerError(),
      problem: `malformed streamed response: ${read.reason}`,
    };
  }
  const head =
    read.kind === 'http'
      ? preludeHead(read.prelude)
      : {
          statusCode: 200,
          headers: [['content-type', stream.contentType]] as Array<[string, string]>,
        };
  if (typeof head === 'string') {
    read.body.resume();
    return {
      response: gatewayErrors.internalServerError(),
      problem: `malformed stream prelude: ${head}`,
    };
  }
  const response: GatewayResponse = {
    ...head,
    body: Buffer.alloc(0),
    stream: { body: read.body, outcome: stream.outcome },
  };
  return { response };
}

/** Status and headers from a prelude, or why it is malformed. */
function preludeHead(
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
