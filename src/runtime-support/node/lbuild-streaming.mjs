// Response streaming, as AWS's Node runtime client (aws-lambda-ric) offers it to handlers:
// the `awslambda` global with streamifyResponse and HttpResponseStream, and the response stream a
// streaming handler writes to. On the wire that is a POST .../response with
// Lambda-Runtime-Function-Response-Mode: streaming, a chunked body, and on a mid-stream error the
// trailers Lambda-Runtime-Function-Error-Type and Lambda-Runtime-Function-Error-Body (base64 JSON).
//
// The stream goes over node:http to AWS_LAMBDA_RUNTIME_API, not over lbuild's socket client: that
// client writes whole bodies only, and a stream's chunks must leave as the handler writes them.
import http from 'node:http';
import { Writable } from 'node:stream';
import { HandlerError, errorBody } from './lbuild-errors.mjs';

const streamingMarker = Symbol.for('aws.lambda.runtime.handler.streaming');
const highWaterMarkMarker = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';
const httpIntegrationContentType = 'application/vnd.awslambda.http-integration-response';
// HttpResponseStream's prelude ends with 8 NUL bytes; the body follows.
const delimiterLength = 8;
const errorTypeTrailer = 'Lambda-Runtime-Function-Error-Type';
const errorBodyTrailer = 'Lambda-Runtime-Function-Error-Body';

/** The `awslambda` global AWS's client defines before it loads the handler's module. */
export function installAwsLambdaGlobal() {
  globalThis.awslambda = {
    streamifyResponse(handler, options) {
      handler[streamingMarker] = STREAM_RESPONSE;
      if (typeof options?.highWaterMark === 'number')
        handler[highWaterMarkMarker] = parseInt(options.highWaterMark);
      return handler;
    },
    HttpResponseStream,
  };
}

/** Whether the handler streams; a marker other than "response" is Lambda's init error. */
export function isStreamingHandler(handler) {
  const marker = handler[streamingMarker];
  if (marker === undefined || marker === null || marker === false) return false;
  if (marker === STREAM_RESPONSE) return true;
  throw new HandlerError(
    'Runtime.MalformedStreamingHandler',
    'Only response streaming is supported.',
  );
}

export class HttpResponseStream {
  /** Status, headers and cookies for a Function URL or API Gateway: a JSON prelude before the body. */
  static from(underlyingStream, prelude) {
    underlyingStream.setContentType(httpIntegrationContentType);
    const metadata = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (write) => {
      write(metadata);
      write(new Uint8Array(delimiterLength));
    };
    return underlyingStream;
  }
}

/**
 * The stream a handler writes its response to. A Writable (so `pipeline(source, responseStream)`
 * works), backed by one chunked POST to the Runtime API whose chunks leave as they are written.
 */
export class LambdaResponseStream extends Writable {
  /**
   * address: AWS_LAMBDA_RUNTIME_API; trailers(): lbuild's facts about the runtime, sent at the end.
   */
  constructor(address, requestId, { highWaterMark, trailers } = {}) {
    super(highWaterMark !== undefined ? { highWaterMark } : {});
    this._onBeforeFirstWrite = undefined;
    this.started = false;
    this.factsTrailers = trailers ?? (() => ({}));
    const colon = address.lastIndexOf(':');
    this.request = http.request({
      host: address.slice(0, colon),
      port: Number(address.slice(colon + 1)),
      method: 'POST',
      path: `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response`,
      headers: {
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        'Transfer-Encoding': 'chunked',
        Trailer: [errorTypeTrailer, errorBodyTrailer, ...Object.keys(this.factsTrailers())].join(
          ', ',
        ),
        'Content-Type': 'application/octet-stream',
      },
      agent: false,
    });
    // The Runtime API answers once the body has ended; AWS's client waits for that answer.
    this.answered = new Promise((resolve, reject) => {
      this.request.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      });
      this.request.on('error', reject);
    });
    this.answered.catch(() => {});
    // Writes after a failure are dropped, not thrown at the runtime (AWS's client ignores them too).
    this.on('error', () => {});
  }

  setContentType(contentType) {
    if (this.started)
      throw new HandlerError(
        'Runtime.InvalidStreamingOperation',
        'Cannot set content-type, too late.',
      );
    this.request.setHeader('Content-Type', contentType);
  }

  // As AWS's client: anything that is not text or bytes is written as its JSON.
  write(chunk, encoding, callback) {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) chunk = JSON.stringify(chunk);
    return super.write(chunk, encoding, callback);
  }

  /** Before the first byte of the body: HttpResponseStream's prelude, when there is one. */
  start() {
    if (this.started) return;
    this.started = true;
    const before = this._onBeforeFirstWrite;
    if (typeof before === 'function') before((bytes) => this.request.write(bytes));
  }

  _write(chunk, encoding, callback) {
    this.start();
    this.request.write(chunk, encoding, () => callback());
  }

  _final(callback) {
    // A handler that only ends the stream still sends its prelude (status, headers, cookies).
    this.start();
    this.request.addTrailers(this.factsTrailers());
    this.request.end(() => callback());
  }

  /** End the response with Lambda's error trailers (a handler that threw mid-stream). */
  fail(error) {
    this.started = true;
    const body = errorBody(error);
    if (this.request.writableEnded) return;
    this.request.addTrailers({
      ...this.factsTrailers(),
      [errorTypeTrailer]: body.errorType,
      [errorBodyTrailer]: Buffer.from(JSON.stringify(body)).toString('base64'),
    });
    this.request.end();
    this.destroy();
  }

  /** Resolves once the handler has ended the stream (or the stream was failed). */
  finished() {
    if (this.writableFinished || this.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.once('finish', resolve);
      this.once('close', resolve);
    });
  }
}

/** The highWaterMark streamifyResponse was given, if any. */
export function streamHighWaterMark(handler) {
  const value = parseInt(handler[highWaterMarkMarker]);
  return Number.isNaN(value) ? undefined : value;
}
