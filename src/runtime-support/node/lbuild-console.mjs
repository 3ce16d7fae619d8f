// Lambda's console: console.* written to stdout in the function's log format (AWS_LAMBDA_LOG_FORMAT)
// and filtered by its level (AWS_LAMBDA_LOG_LEVEL), as aws-lambda-ric does it.
//   Text: "<ISO time>\t<request id>\t<LEVEL>\t<message>"
//   JSON: {"timestamp","level","requestId","message"}; one argument is kept as it is (an object
//   stays an object, an Error becomes {errorType, errorMessage, stackTrace}); several are formatted
//   into one string, and the first Error among the rest adds errorType/errorMessage/stackTrace.
import { format } from 'node:util';

let requestId = undefined;
let jsonFormat = false;

export function setRequestId(id) {
  requestId = id;
}

/** Least detailed last; without AWS_LAMBDA_LOG_LEVEL nothing is filtered (TRACE). */
const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

function errorFields(error) {
  return {
    errorType: error?.constructor?.name ?? 'UnknownError',
    errorMessage: error.message,
    stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : error.stack,
  };
}

const errorReplacer = (_key, value) =>
  value instanceof Error ? Object.assign(errorFields(value), value) : value;

function jsonLine(level, args) {
  const line = { timestamp: new Date().toISOString(), level, requestId };
  if (args.length === 1) {
    line.message = args[0];
    try {
      return JSON.stringify(line, errorReplacer);
    } catch {
      // A circular object or a BigInt: its formatted text instead.
      line.message = format(args[0]);
      return JSON.stringify(line);
    }
  }
  line.message = format(...args);
  const error = args.slice(1).find((arg) => arg instanceof Error);
  if (error) {
    const fields = errorFields(error);
    fields.stackTrace = Array.isArray(fields.stackTrace) ? fields.stackTrace : [];
    Object.assign(line, fields);
  }
  return JSON.stringify(line);
}

function textLine(method, level, args) {
  let message = format(...args);
  if (method === 'trace')
    message = `Trace: ${message}\n${new Error().stack.split('\n').slice(3).join('\n')}`;
  return `${new Date().toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${message}`;
}

function shown(level, threshold) {
  return levels.indexOf(level) >= threshold;
}

export function patchConsole(env = process.env) {
  jsonFormat = env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const threshold = Math.max(0, levels.indexOf(env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase()));
  const methods = {
    log: 'INFO',
    info: 'INFO',
    warn: 'WARN',
    error: 'ERROR',
    debug: 'DEBUG',
    trace: 'TRACE',
    fatal: 'FATAL',
  };
  for (const [method, level] of Object.entries(methods)) {
    console[method] = shown(level, threshold)
      ? (...args) =>
          process.stdout.write(
            `${jsonFormat ? jsonLine(level, args) : textLine(method, level, args)}\n`,
          )
      : () => {};
  }
}

/**
 * The runtime's own error lines ("Invoke Error", "Init Error", "Uncaught Exception"). Text: the
 * label and `textDetail`, as before. JSON: one ERROR line whose message is the error's fields.
 */
export function logError(label, textDetail, body) {
  if (!jsonFormat) return console.error(label, textDetail);
  console.error({
    errorType: body.errorType,
    errorMessage: body.errorMessage,
    stackTrace: body.trace,
  });
}

/**
 * Count the bytes written to stdout and stderr, for the x-lbuild-output-bytes header: the emulator
 * then waits for exactly that output before it closes the invocation's log. Returns the header value.
 */
export function countOutput() {
  const written = { stdout: 0, stderr: 0 };
  for (const name of ['stdout', 'stderr']) {
    const stream = process[name];
    const write = stream.write;
    stream.write = function (chunk, encoding, callback) {
      if (typeof chunk === 'string')
        written[name] += Buffer.byteLength(chunk, typeof encoding === 'string' ? encoding : 'utf8');
      else if (chunk && typeof chunk.byteLength === 'number') written[name] += chunk.byteLength;
      return write.call(this, chunk, encoding, callback);
    };
  }
  return () => `${written.stdout} ${written.stderr}`;
}
