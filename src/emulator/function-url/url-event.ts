/**
 * The event a function URL sends: API Gateway's payload 2.0 (built by v2-event.ts, so headers,
 * cookies, comma-joined repeated query values and body encoding are the same code) with the
 * function URL differences laid over it. https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
 * - routeKey and stage are the placeholder "$default"; there are no pathParameters or stageVariables.
 * - apiId and domainPrefix are the URL id; domainName is "<url-id>.lambda-url.<region>.on.aws".
 * - NONE: requestContext.accountId is "anonymous" and there is no authorizer (what AWS sends, though
 *   the guide's table says the owner's account). AWS_IAM: the owner's account, `authentication: null`
 *   and `authorizer.iam` describing the verified caller, as in the guide's example.
 */
import { buildV2Event, type V2Event } from '../apigw/v2-event.js';
import type { GatewayRequest } from '../apigw/request.js';
import { functionUrlDomain } from './url-id.js';

/** The caller of an AWS_IAM URL, once its signature checked out. */
export interface UrlCaller {
  accessKey: string;
  accountId: string;
  callerId: string;
  userArn: string;
  userId: string;
}

export interface UrlRequestInfo {
  requestId: string;
  /** Epoch milliseconds when the URL received the request. */
  timeEpoch: number;
  urlId: string;
  region: string;
  /** The function owner's account. */
  accountId: string;
  /** Present only for AWS_IAM URLs. */
  caller?: UrlCaller;
}

export interface FunctionUrlEvent extends V2Event {
  requestContext: V2Event['requestContext'] & {
    authentication?: null;
    authorizer?: {
      iam: UrlCaller & { cognitoIdentity: null; principalOrgId: null };
    };
  };
}

export function buildFunctionUrlEvent(
  request: GatewayRequest,
  info: UrlRequestInfo,
): FunctionUrlEvent {
  const base = buildV2Event(
    request,
    { routeKey: '$default', resource: request.rawPath, pathParameters: {} },
    {
      requestId: info.requestId,
      timeEpoch: info.timeEpoch,
      accountId: info.accountId,
      apiId: info.urlId,
      stage: '$default',
    },
  );
  const { accountId, apiId, ...rest } = base.requestContext;
  const caller = info.caller;
  return {
    ...base,
    requestContext: {
      accountId: caller ? accountId : 'anonymous',
      apiId,
      ...(caller
        ? {
            authentication: null,
            authorizer: { iam: { ...caller, cognitoIdentity: null, principalOrgId: null } },
          }
        : {}),
      ...rest,
      // The client's Host header stays in `headers`; the event names the URL's own domain.
      domainName: functionUrlDomain(info.urlId, info.region),
      domainPrefix: info.urlId,
    },
  };
}
