// Lambda's console format: "<ISO time>\t<request id>\t<LEVEL>\t<message>", written to stdout.
import { format } from 'node:util';

let requestId = undefined;

export function setRequestId(id) {
  requestId = id;
}

export function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args) => {
      let message = format(...args);
      if (method === 'trace') message = `Trace: ${message}\n${new Error().stack.split('\n').slice(2).join('\n')}`;
      process.stdout.write(`${new Date().toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${message}\n`);
    };
  }
}
