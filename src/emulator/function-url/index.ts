/** Lambda function URLs: payload 2.0 with the URL differences, CORS, AWS_IAM (SigV4), one port each. */
export {
  startFunctionUrl,
  type FunctionUrlServerOptions,
  type RunningFunctionUrl,
} from './server.js';
export {
  createFunctionUrl,
  type FunctionUrl,
  type FunctionUrlAuthType,
  type FunctionUrlSettings,
} from './function-url.js';
export {
  buildFunctionUrlEvent,
  type FunctionUrlEvent,
  type UrlCaller,
  type UrlRequestInfo,
} from './url-event.js';
export { functionUrlDomain, functionUrlId } from './url-id.js';
export { verifySigV4, type SigV4Expectation, type SigV4Result } from './sigv4.js';
export { urlErrors, urlResponseForOutcome } from './url-responses.js';
