/**
 * A web function's endpoint on this machine: an HTTP server on 127.0.0.1 and the function's own
 * port, in front of its environments. Upgrades never succeed (the contract: SSE is the push
 * mechanism); Expect: 100-continue is answered 417 as Lambda answers it.
 */
import type { Server } from 'node:http';
import type { ResolvedFunction } from '../../config/resolved-project.js';
import { closeServer } from '../../http/close.js';
import { listen } from '../../http/listen.js';
import { createHttpServer } from '../../http/server.js';
import { sendWebAnswer, webAnswers } from './web-answers.js';
import type { WebLogContext } from './web-logs.js';
import type { WebFunctionPool } from './web-pool.js';
import { proxyWebRequest, type WebProxyContext } from './web-proxy.js';

export interface WebEndpoint {
  functionName: string;
  url: string;
  close(): Promise<void>;
}

export async function startWebEndpoint(options: {
  fn: ResolvedFunction;
  pool: WebFunctionPool;
  log: WebLogContext;
  port: number;
}): Promise<WebEndpoint> {
  const ctx: WebProxyContext = { fn: options.fn, pool: options.pool, log: options.log };
  const server: Server = createHttpServer((request, response) => {
    void proxyWebRequest(ctx, request, response);
  });
  server.on('checkContinue', (request, response) => {
    request.resume();
    sendWebAnswer(response, webAnswers.expect(), undefined);
  });
  // An upgrade is refused outright: the connection is not handed to the app.
  server.on('upgrade', (_request, socket) => {
    socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  const port = await listen(server, '127.0.0.1', options.port, {
    what: `web function ${options.fn.name}`,
    portSetting: `functions.${options.fn.name}.port`,
  });
  return {
    functionName: options.fn.name,
    url: `http://127.0.0.1:${port}`,
    close: () => closeServer(server),
  };
}
