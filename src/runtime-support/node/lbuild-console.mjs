// Lambda's console format: "<ISO time>\t<request id>\t<LEVEL>\t<message>", written to stdout.
import { format } from 'node:util';

let requestId = undefined;

export function setRequestId(id) {
  requestId = id;
}

export function patchConsole() {
  const levels = {
    log: 'INFO',
    info: 'INFO',
    warn: 'WARN',
    error: 'ERROR',
    debug: 'DEBUG',
    trace: 'TRACE',
  };
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args) => {
      let message = format(...args);
      if (method === 'trace')
        message = `Trace: ${message}\n${new Error().stack.split('\n').slice(2).join('\n')}`;
      process.stdout.write(
        `${new Date().toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${message}\n`,
      );
    };
  }
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
