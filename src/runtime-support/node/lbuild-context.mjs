// The context object of Node handlers, with aws-lambda-ric's property names and types.

function parseJson(text) {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Node.js 24's context has no callbackWaitsForEmptyEventLoop (nor succeed/fail/done, see bootstrap). */
export function makeContext(invocation, withCallbacks = true) {
  const env = process.env;
  return {
    // Accepted for compatibility; lbuild answers as soon as the handler settles.
    ...(withCallbacks ? { callbackWaitsForEmptyEventLoop: true } : {}),
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: invocation.functionArn,
    // A string on Lambda too: the runtime reads it from the environment.
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: invocation.requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: parseJson(invocation.cognitoIdentity),
    clientContext: parseJson(invocation.clientContext),
    getRemainingTimeInMillis: () => Math.max(invocation.deadlineMs - Date.now(), 0),
  };
}
