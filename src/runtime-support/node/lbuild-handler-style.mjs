// Node.js 24 removed callback handlers. AWS's runtime client (v4) decides by the handler's declared
// arity, for the runtime named in AWS_EXECUTION_ENV (not the Node that happens to run the
// bootstrap: a host-process worker may be an older Node), and rejects it at init, so every
// invocation of such a function fails. Streaming handlers take (event, responseStream, context)
// and are exempt.
import { HandlerError } from './lbuild-errors.mjs';

const streamingMarker = Symbol.for('aws.lambda.runtime.handler.streaming');

export const CALLBACK_DEPRECATED_MESSAGE =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. ' +
  'You need to modify this function to use a supported handler signature to use Node.js 24 or later. ' +
  'For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

/** The Node.js major of the Lambda runtime this function is configured for. */
export function runtimeMajor(env = process.env) {
  const match = /^AWS_Lambda_nodejs(\d+)/.exec(env.AWS_EXECUTION_ENV ?? '');
  return match ? Number(match[1]) : Number(process.versions.node.split('.')[0]);
}

/** Whether this runtime still offers the callback and context.succeed/fail/done. */
export function callbacksSupported(env = process.env) {
  return runtimeMajor(env) < 24;
}

export function assertHandlerStyle(handler, env = process.env) {
  if (callbacksSupported(env) || handler[streamingMarker] !== undefined) return;
  if (handler.length >= 3)
    throw new HandlerError('Runtime.CallbackHandlerDeprecated', CALLBACK_DEPRECATED_MESSAGE);
}
