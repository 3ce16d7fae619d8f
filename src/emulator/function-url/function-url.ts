/**
 * A function URL without the socket: GatewayRequest in, response and access record out, the same
 * contract as the API Gateway core (apigw/gateway.ts), so server.ts reuses the gateway's listener.
 * In order: a CORS preflight is answered here (the function never runs, even on an AWS_IAM URL:
 * browsers send preflights unsigned); an AWS_IAM URL refuses a request whose SigV4 signature does
 * not check out (403); the event is built and held to Lambda's 6 MB limit; the function runs for as
 * long as its own timeout allows (function URLs have no integration timeout); the outcome becomes
 * the response; configured CORS headers are laid over it.
 */
import { randomUUID } from 'node:crypto';
import type { CorsConfig } from '../../config/types.js';
import { isPreflight, preflightResponse } from '../apigw/cors.js';
import { maxEventBytes, type AccessRecord, type HandledRequest } from '../apigw/gateway.js';
import type { GatewayResponse } from '../apigw/gateway-response.js';
import type { GatewayRequest } from '../apigw/request.js';
import { localCaller, localCredentials } from '../local-credentials.js';
import { localAccountId } from '../pool/ids.js';
import { streamedResponse } from '../streaming/streamed-response.js';
import type { Invoker } from '../types.js';
import { applyUrlCors } from './url-cors.js';
import { buildFunctionUrlEvent, type UrlCaller } from './url-event.js';
import { urlErrors, urlResponseForOutcome } from './url-responses.js';
import { verifySigV4, type SigningCredentials } from './sigv4.js';

export type FunctionUrlAuthType = 'NONE' | 'AWS_IAM';
export type FunctionUrlInvokeMode = 'BUFFERED' | 'RESPONSE_STREAM';

export interface FunctionUrlSettings {
  invoker: Invoker;
  functionName: string;
  authType: FunctionUrlAuthType;
  /** RESPONSE_STREAM: the body flows as the function writes it (Node's streamifyResponse). */
  invokeMode?: FunctionUrlInvokeMode;
  cors?: CorsConfig | undefined;
  /** The URL id (url-id.ts): apiId, domainPrefix and part of domainName in the event. */
  urlId: string;
  region: string;
  /** What an AWS_IAM URL accepts signatures from. Default: lbuild's local credentials. */
  credentials?: SigningCredentials;
  /** The clock for the signature's date window (tests). Default Date.now. */
  now?: () => number;
}

export interface FunctionUrl {
  handle(request: GatewayRequest): Promise<HandledRequest>;
}

export function createFunctionUrl(settings: FunctionUrlSettings): FunctionUrl {
  return { handle: (request) => handleRequest(settings, request) };
}

async function handleRequest(
  settings: FunctionUrlSettings,
  request: GatewayRequest,
): Promise<HandledRequest> {
  const started = performance.now();
  const record: AccessRecord = {
    requestId: randomUUID(),
    method: request.method,
    path: request.rawPath,
    statusCode: 0,
    durationMs: 0,
    functionName: settings.functionName,
  };
  const preflight = settings.cors !== undefined && isPreflight(request);
  let response: GatewayResponse;
  try {
    response = preflight
      ? preflightResponse(settings.cors!, request)
      : await invokeFunction(settings, request, record);
  } catch (error) {
    // The invoker is another component: if it throws instead of returning an outcome, answer as a
    // failed invocation and keep serving.
    record.problem = `invoker failed: ${error instanceof Error ? error.message : String(error)}`;
    response = urlErrors.internalServerError();
  }
  if (settings.cors && !preflight) response = applyUrlCors(settings.cors, request, response);
  response.headers.push(['x-amzn-RequestId', record.requestId]);
  record.statusCode = response.statusCode;
  record.durationMs = performance.now() - started;
  return { response, record };
}

async function invokeFunction(
  settings: FunctionUrlSettings,
  request: GatewayRequest,
  record: AccessRecord,
): Promise<GatewayResponse> {
  let caller: UrlCaller | undefined;
  if (settings.authType === 'AWS_IAM') {
    const verdict = await verifySigV4(request, {
      credentials: settings.credentials ?? localCredentials,
      region: settings.region,
      service: 'lambda',
      now: (settings.now ?? Date.now)(),
    });
    if (!verdict.ok) {
      record.problem = `AWS_IAM: ${verdict.reason}`;
      return urlErrors.forbidden();
    }
    caller = {
      accessKey: verdict.accessKey,
      accountId: localCaller.accountId,
      callerId: localCaller.userId,
      userArn: localCaller.userArn,
      userId: localCaller.userId,
    };
  }
  const event = buildFunctionUrlEvent(request, {
    requestId: record.requestId,
    timeEpoch: Date.now(),
    urlId: settings.urlId,
    region: settings.region,
    accountId: localAccountId,
    ...(caller ? { caller } : {}),
  });
  const payload = Buffer.from(JSON.stringify(event));
  if (payload.length > maxEventBytes) {
    record.problem = `the event is ${payload.length} bytes, over Lambda's 6 MB invocation limit`;
    return urlErrors.requestTooLarge();
  }
  // One id for the event, the invocation (context.aws_request_id, START/END lines) and the
  // x-amzn-RequestId header, as a function URL does.
  const invocation = {
    functionName: settings.functionName,
    payload,
    requestId: record.requestId,
  };
  const mapped =
    settings.invokeMode === 'RESPONSE_STREAM'
      ? await streamedResponse(settings.invoker, invocation, {
          forOutcome: urlResponseForOutcome,
          malformed: urlErrors.internalServerError,
        })
      : urlResponseForOutcome(await settings.invoker.invoke(invocation));
  if (mapped.problem) record.problem = mapped.problem;
  return mapped.response;
}
