/**
 * A function URL on node:http: its own port on 127.0.0.1 (a function URL is a whole host, so the
 * function sees "/" as "/", not a path below a shared prefix), the API Gateway front's listener
 * (body limit, X-Forwarded-* headers, writing the response) around the function URL core.
 */
import { closeServer } from '../../http/close.js';
import { listen } from '../../http/listen.js';
import { createHttpServer } from '../../http/server.js';
import { httpUrl } from '../../http/url.js';
import type { AccessRecord } from '../apigw/gateway.js';
import { createGatewayListener } from '../apigw/server.js';
import { createFunctionUrl, type FunctionUrlSettings } from './function-url.js';

export interface FunctionUrlServerOptions extends FunctionUrlSettings {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port (see RunningFunctionUrl.port). */
  port: number;
  onRequest?: (record: AccessRecord) => void;
}

export interface RunningFunctionUrl {
  functionName: string;
  /** "http://127.0.0.1:9100/": with the trailing slash, as AWS prints function URLs. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startFunctionUrl(
  options: FunctionUrlServerOptions,
): Promise<RunningFunctionUrl> {
  const host = options.host ?? '127.0.0.1';
  const listener = createGatewayListener(createFunctionUrl(options), options.onRequest);
  const server = createHttpServer((req, res) => void listener(req, res));
  const port = await listen(server, host, options.port, {
    what: `function URL of ${options.functionName}`,
    portSetting: `functions.${options.functionName}.url.port`,
  });
  return {
    functionName: options.functionName,
    url: `${httpUrl(host, port)}/`,
    port,
    close: () => closeServer(server),
  };
}
