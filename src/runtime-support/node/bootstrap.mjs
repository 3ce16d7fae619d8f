#!/usr/bin/env node
// lbuild's Node.js runtime interface client.
//
// Runs a Lambda handler against the Runtime API (AWS_LAMBDA_RUNTIME_API) where AWS's own client
// (aws-lambda-ric) is not installed: host-process workers and the offline Debian stand-in images.
// It mirrors aws-lambda-ric: the same error types and messages (including Node's "trace" key in
// error bodies), the same context object and console format (Text or JSON, filtered by
// AWS_LAMBDA_LOG_LEVEL), async and callback handlers (callbacks
// only before Node.js 24, as on Lambda), response streaming (awslambda.streamifyResponse), ESM and CommonJS. No dependencies: it runs inside images we do not control (Node 18+).
//
// Usage: node bootstrap.mjs [handler]   (default: $_HANDLER)
import { RuntimeClient } from './lbuild-runtime-client.mjs';
import { loadHandler } from './lbuild-load-handler.mjs';
import { HandlerError, errorBody } from './lbuild-errors.mjs';
import { makeContext } from './lbuild-context.mjs';
import { countOutput, logError, patchConsole, setRequestId } from './lbuild-console.mjs';
import { keepTraceIdInJavaScript } from './lbuild-trace-env.mjs';
import { assertHandlerStyle, callbacksSupported } from './lbuild-handler-style.mjs';
import {
  LambdaResponseStream,
  installAwsLambdaGlobal,
  isStreamingHandler,
  streamHighWaterMark,
} from './lbuild-streaming.mjs';

const withCallbacks = callbacksSupported();

// lbuild's private transport hint: read once and removed, so function code sees Lambda's environment only.
const localSocket = process.env.LBUILD_RUNTIME_API_SOCKET;
delete process.env.LBUILD_RUNTIME_API_SOCKET;
const client = new RuntimeClient(
  process.env.AWS_LAMBDA_RUNTIME_API ?? '',
  countOutput(),
  localSocket,
);
const handlerSpec = process.argv[2] ?? process.env._HANDLER ?? '';
const taskRoot = process.env.LAMBDA_TASK_ROOT ?? '/var/task';

let currentRequestId;
/** The response stream of the invocation in progress, when its handler streams. */
let currentStream;
let initializing = true;

// An exception that escapes the handler's promise chain kills the environment, as on Lambda:
// report it for the invocation (or init) in flight, then exit 129 (aws-lambda-ric's code).
function crash(error, kind) {
  const body = errorBody(error);
  logError(kind, error, body);
  const done = () => process.exit(129);
  // A stream already started: the error can only travel in its trailers.
  if (currentStream) {
    currentStream.fail(error);
    currentStream.answered.then(done, done);
  } else if (currentRequestId) client.postError(currentRequestId, body).then(done, done);
  else if (initializing) client.postInitError(body).then(done, done);
  else done();
}
process.on('uncaughtException', (error) => crash(error, 'Uncaught Exception'));
process.on('unhandledRejection', (reason) => {
  const error = reason instanceof Error ? reason : new Error(String(reason));
  if (!(reason instanceof Error)) error.name = 'Runtime.UnhandledPromiseRejection';
  crash(error, 'Unhandled Promise Rejection');
});

/** Call the handler the way Lambda does: a returned promise wins, else the callback decides. */
function invokeHandler(handler, event, context) {
  if (!withCallbacks) return Promise.resolve().then(() => handler(event, context));
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    context.succeed = (result) => callback(null, result);
    context.fail = (error) => callback(error ?? new Error('handled'));
    context.done = callback;
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function')
      returned.then(
        (value) => callback(null, value),
        (error) => callback(error),
      );
    else if (handler.length < 3 && !settled) {
      // A synchronous, non-callback handler: Lambda answers with null.
      callback(null, returned ?? null);
    }
  });
}

/** Run one invocation; resolves with the next one (its long poll rides along with the result). */
async function runOne(handler, invocation) {
  currentRequestId = invocation.requestId;
  setRequestId(invocation.requestId);
  if (invocation.traceId) process.env._X_AMZN_TRACE_ID = invocation.traceId;
  else delete process.env._X_AMZN_TRACE_ID;
  const context = makeContext(invocation, withCallbacks);
  let payload;
  try {
    const event = invocation.body.length > 0 ? JSON.parse(invocation.body.toString('utf8')) : null;
    const result = await invokeHandler(handler, event, context);
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch (error) {
      throw new HandlerError(
        'Runtime.MarshalError',
        `Unable to stringify response body: ${error.message}`,
      );
    }
  } catch (error) {
    const body = errorBody(error);
    logError('Invoke Error', JSON.stringify(body), body);
    await client.postError(invocation.requestId, body);
    return client.next();
  } finally {
    currentRequestId = undefined;
  }
  return client.postResponseAndNext(invocation.requestId, payload);
}

/**
 * Run one invocation of a streaming handler, as AWS's client does: handler(event, responseStream,
 * context) must return a promise; an error ends the stream with Lambda's error trailers; a return
 * value is ignored (with a warning). The invocation lasts until the handler has ended the stream.
 */
async function runOneStreaming(handler, invocation) {
  currentRequestId = invocation.requestId;
  setRequestId(invocation.requestId);
  if (invocation.traceId) process.env._X_AMZN_TRACE_ID = invocation.traceId;
  else delete process.env._X_AMZN_TRACE_ID;
  const context = makeContext(invocation, withCallbacks);
  const stream = new LambdaResponseStream(
    process.env.AWS_LAMBDA_RUNTIME_API ?? '',
    invocation.requestId,
    {
      highWaterMark: streamHighWaterMark(handler),
      trailers: () => client.resultHeaders({}),
    },
  );
  currentStream = stream;
  const fail = (error) => {
    const body = errorBody(error);
    logError('Invoke Error', JSON.stringify(body), body);
    stream.fail(error);
  };
  try {
    const event = invocation.body.length > 0 ? JSON.parse(invocation.body.toString('utf8')) : null;
    const returned = handler(event, stream, context);
    if (!returned || typeof returned.then !== 'function') {
      fail('Streaming does not support non-async handlers.');
    } else {
      const result = await returned;
      if (result !== undefined) console.warn('Streaming handlers ignore return values.');
      await stream.finished();
    }
  } catch (error) {
    fail(error);
  } finally {
    currentStream = undefined;
    currentRequestId = undefined;
  }
  const status = await stream.answered.catch((error) => error.message);
  if (status !== 202)
    process.stderr.write(`lbuild bootstrap: streamed response rejected (${status})\n`);
  return client.next();
}

async function main() {
  patchConsole();
  keepTraceIdInJavaScript();
  await client.open();
  let handler;
  let streaming = false;
  try {
    installAwsLambdaGlobal();
    handler = await loadHandler(taskRoot, handlerSpec);
    streaming = isStreamingHandler(handler);
    assertHandlerStyle(handler);
  } catch (error) {
    const body = errorBody(error);
    logError('Init Error', JSON.stringify(body), body);
    await client.postInitError(body);
    process.exit(129);
  }
  initializing = false;
  let invocation = await client.next();
  const run = streaming ? runOneStreaming : runOne;
  for (;;) invocation = await run(handler, invocation);
}

await main();
