/**
 * One request through a web function's endpoint: protocol checks, an environment from the pool,
 * the request with the contract's headers, the response streamed back chunk by chunk (SSE and
 * chunked bodies are never buffered), the per-request timeout, and a client that goes away
 * reaching the app as a closed connection.
 */
import {
  request as httpRequest,
  type Agent,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { randomUUID } from 'node:crypto';
import type { ResolvedFunction } from '../../config/resolved-project.js';
import { sendWebAnswer, webAnswers, type WebAnswer } from './web-answers.js';
import {
  clientAddress,
  forwardedRequestHeaders,
  forwardedResponseHeaders,
  headerPairs,
  webMethods,
  type HeaderPairs,
} from './web-headers.js';
import { platformEvent, type WebLogContext } from './web-logs.js';
import type { WebFunctionPool } from './web-pool.js';

export interface WebProxyContext {
  fn: ResolvedFunction;
  pool: WebFunctionPool;
  log: WebLogContext;
}

/** Refusals before any environment is involved; undefined when the request may go on. */
export function protocolAnswer(request: IncomingMessage): WebAnswer | undefined {
  if (request.httpVersion !== '1.1') return webAnswers.httpVersion();
  if (!webMethods.has(request.method ?? '')) return webAnswers.method(request.method ?? '');
  return undefined;
}

export async function proxyWebRequest(
  ctx: WebProxyContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  const refusal = protocolAnswer(request);
  if (refusal) return sendWebAnswer(response, refusal, requestId);
  const lease = await ctx.pool.acquire(requestId);
  if ('answer' in lease) {
    request.resume();
    return sendWebAnswer(response, lease.answer, requestId);
  }
  // The client gave up while its environment was starting: nothing to forward.
  if (response.destroyed || request.socket.destroyed) return lease.release();
  const started = Date.now();
  const { status, broken } = await forward(ctx, { request, response, requestId, env: lease.env });
  lease.release(broken);
  platformEvent(ctx.log, {
    type: 'platform.requestComplete',
    level: 'DEBUG',
    instance: lease.env.instance,
    requestId,
    record: { requestId, status, metrics: { durationMs: Date.now() - started } },
  });
}

interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  requestId: string;
  env: { address: { host: string; port: number } | undefined; agent: Agent };
}

/**
 * Resolves once the exchange is over, with the status the client saw (0: the connection was cut)
 * and whether the connection to the app failed (the environment is gone).
 */
function forward(
  ctx: WebProxyContext,
  exchange: Exchange,
): Promise<{ status: number; broken: boolean }> {
  const { request, response, requestId } = exchange;
  const address = exchange.env.address!;
  return new Promise((resolve) => {
    let settled = false;
    let broken = false;
    const finish = (status: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, broken });
    };
    const answer = (reply: WebAnswer) => {
      upstream.destroy();
      sendWebAnswer(response, reply, requestId);
      finish(reply.status);
    };
    const upstream = httpRequest({
      host: address.host,
      port: address.port,
      method: request.method,
      path: request.url,
      agent: exchange.env.agent,
      headers: headerObject(
        forwardedRequestHeaders({
          headers: headerPairs(request.rawHeaders),
          requestId,
          endpointName: ctx.fn.name,
          clientIp: clientAddress(request.socket.remoteAddress),
        }),
      ),
    });
    // A streaming response that runs out of time is cut (no error header can be sent any more).
    const timer = setTimeout(() => {
      if (response.headersSent) {
        upstream.destroy();
        response.destroy();
        finish(0);
      } else answer(webAnswers.timeout(ctx.fn.timeout));
    }, ctx.fn.timeout * 1000);
    upstream.on('response', (reply) => {
      const headers = forwardedResponseHeaders(headerPairs(reply.rawHeaders), requestId);
      response.writeHead(reply.statusCode ?? 502, headers.flat());
      // Headers now, not with the first chunk: an SSE client learns at once that the stream is open.
      response.flushHeaders();
      reply.on('data', (chunk: Buffer) => response.write(chunk));
      reply.on('end', () => {
        response.end();
        finish(reply.statusCode ?? 502);
      });
      reply.on('error', () => {
        broken = !settled;
        response.destroy();
        finish(0);
      });
    });
    upstream.on('error', () => {
      if (settled) return;
      broken = true;
      if (response.headersSent) {
        response.destroy();
        finish(0);
      } else answer(webAnswers.crashed());
    });
    // The client went away before the answer was complete: the app sees its connection close.
    response.on('close', () => {
      if (!response.writableFinished) {
        upstream.destroy();
        finish(0);
      }
    });
    request.pipe(upstream);
  });
}

/** Repeated request headers joined as HTTP allows (cookies with "; "). */
function headerObject(pairs: HeaderPairs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    const previous = out[key];
    out[key] =
      previous === undefined ? value : `${previous}${key === 'cookie' ? '; ' : ', '}${value}`;
  }
  return out;
}
