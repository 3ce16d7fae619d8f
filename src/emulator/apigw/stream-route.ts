/**
 * A REST API route whose integration has response transfer mode STREAM: API Gateway calls
 * InvokeWithResponseStream and passes the function's stream on as it comes
 * (streaming/streamed-response.ts). No integration timeout applies here: a streamed integration
 * may run for up to 15 minutes, which the function's own timeout (900 s at most) already bounds.
 */
import { streamedResponse } from '../streaming/streamed-response.js';
import type { Invoker } from '../types.js';
import { gatewayErrors } from './gateway-response.js';
import { responseForOutcome, type MappedOutcome, type OutcomeContext } from './outcomes.js';

export function streamRoute(
  invoker: Invoker,
  functionName: string,
  payload: Buffer,
  context: OutcomeContext,
): Promise<MappedOutcome> {
  return streamedResponse(
    invoker,
    { functionName, payload },
    {
      forOutcome: (outcome) => responseForOutcome(outcome, context),
      malformed: gatewayErrors.internalServerError,
    },
  );
}
