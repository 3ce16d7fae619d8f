/**
 * A REST API route whose integration has response transfer mode STREAM: API Gateway calls
 * InvokeWithResponseStream and passes the function's stream on as it comes. A function using
 * HttpResponseStream.from sets the status and headers in its prelude ({statusCode, headers,
 * multiValueHeaders, cookies}); a function that does not stream answers as in BUFFERED mode.
 * No integration timeout applies here: a streamed integration may run for up to 15 minutes, which
 * the function's own timeout (900 s at most) already bounds.
 */
import { preludeHead, readHttpPrelude } from '../streaming/http-prelude.js';
import type { Invoker } from '../types.js';
import { gatewayErrors, type GatewayResponse } from './gateway-response.js';
import { responseForOutcome, type MappedOutcome, type OutcomeContext } from './outcomes.js';

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
