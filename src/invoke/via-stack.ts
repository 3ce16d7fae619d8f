/**
 * The invocation through a running stack's Invoke API: the same network and DATABASE_URL as
 * `lbuild serve`, with the log tail Lambda returns for `x-amz-log-type: Tail`.
 */
import { request } from 'undici';
import { UserError } from '../errors.js';
import type { InvokeResult } from './invoke-types.js';
import { parseBody } from './response-body.js';

export async function invokeViaStack(
  invokeUrl: string,
  functionName: string,
  payload: Buffer,
): Promise<InvokeResult> {
  const response = await request(
    `${invokeUrl}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
    {
      method: 'POST',
      body: payload,
      headers: { 'x-amz-log-type': 'Tail', 'content-type': 'application/json' },
    },
  );
  const body = Buffer.from(await response.body.arrayBuffer());
  const functionError = response.headers['x-amz-function-error'];
  const logResult = response.headers['x-amz-log-result'];
  if (response.statusCode >= 300)
    throw new UserError(
      `the running stack refused the invocation (${response.statusCode}): ${body.toString()}`,
      { hint: 'Check the function name; `lbuild down` and `lbuild serve` restart the stack.' },
    );
  const result = parseBody(body);
  return {
    functionName,
    requestId: String(response.headers['x-amzn-requestid'] ?? ''),
    status: functionError ? 'function-error' : 'succeeded',
    ...(functionError
      ? { errorType: String((result as { errorType?: string })?.errorType ?? functionError) }
      : {}),
    result,
    logs:
      typeof logResult === 'string'
        ? Buffer.from(logResult, 'base64').toString('utf8').split('\n').filter(Boolean)
        : [],
    via: 'stack',
  };
}
