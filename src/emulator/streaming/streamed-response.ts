/**
 * An HTTP front door that streams (a REST route in STREAM mode, a Function URL in RESPONSE_STREAM
 * mode) turns a streaming invocation into a response whose body flows as the function writes it.
 * A function using HttpResponseStream.from sets the status and headers in its prelude
 * ({statusCode, headers, multiValueHeaders, cookies}); a function that does not stream, or fails
 * before writing anything, is answered as the door answers any whole outcome.
 */
import type { GatewayResponse } from '../apigw/gateway-response.js';
import type { MappedOutcome } from '../apigw/outcomes.js';
import type { InvocationOutcome, InvokeRequest, Invoker } from '../types.js';
import { preludeHead, readHttpPrelude } from './http-prelude.js';

export interface StreamingDoor {
  /** The door's answer to an outcome it got whole. */
  forOutcome(outcome: InvocationOutcome): MappedOutcome;
  /** The door's answer to a stream it cannot read (a broken prelude). */
  malformed(): GatewayResponse;
}

export async function streamedResponse(
  invoker: Invoker,
  request: InvokeRequest,
  door: StreamingDoor,
): Promise<MappedOutcome> {
  if (!invoker.invokeStreaming) return door.forOutcome(await invoker.invoke(request));
  const started = await invoker.invokeStreaming(request);
  if (started.kind === 'buffered') return door.forOutcome(started.outcome);
  const { stream } = started;
  const read = await readHttpPrelude(stream.contentType, stream.body);
  if (read.kind === 'malformed') {
    stream.body.resume();
    const outcome = await stream.outcome;
    // An error before the function wrote anything is a function error like any other.
    if (outcome.kind !== 'succeeded') return door.forOutcome(outcome);
    return { response: door.malformed(), problem: `malformed streamed response: ${read.reason}` };
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
    return { response: door.malformed(), problem: `malformed stream prelude: ${head}` };
  }
  const response: GatewayResponse = {
    ...head,
    body: Buffer.alloc(0),
    stream: { body: read.body, outcome: stream.outcome },
  };
  return { response };
}
