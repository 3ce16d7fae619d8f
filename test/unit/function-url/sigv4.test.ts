/** AWS_IAM function URLs: what a SigV4 signature must be for lbuild to let the request through. */
import { describe, expect, it } from 'vitest';
import type { GatewayRequest } from '../../../src/emulator/apigw/request.js';
import { verifySigV4, type SigV4Expectation } from '../../../src/emulator/function-url/index.js';
import { localCredentials } from '../../../src/emulator/local-credentials.js';
import { queryString, signedHeaders, type SignOptions } from './sign.js';

const host = '127.0.0.1:9100';
const now = Date.UTC(2026, 11, 6, 2, 30, 0);
const expectation: SigV4Expectation = {
  credentials: localCredentials,
  region: 'us-east-1',
  service: 'lambda',
  now,
};

/** The request the URL receives after a client signed `options` and sent it. */
async function signedRequest(
  options: Partial<SignOptions> = {},
  tamper: (request: GatewayRequest) => GatewayRequest = (r) => r,
): Promise<GatewayRequest> {
  const sign: SignOptions = { host, signingDate: new Date(now), ...options };
  const headers = await signedHeaders(sign);
  return tamper({
    method: sign.method ?? 'GET',
    rawPath: sign.path ?? '/',
    rawQueryString: queryString(sign.query ?? {}),
    headers: Object.entries(headers),
    body: Buffer.from(sign.body ?? ''),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
  });
}

async function reason(request: GatewayRequest, expected = expectation): Promise<string> {
  const result = await verifySigV4(request, expected);
  if (result.ok) throw new Error('expected the signature to be refused');
  return result.reason;
}

describe('SigV4 on an AWS_IAM function URL', () => {
  it('accepts a GET signed with the local credentials, path and repeated query included', async () => {
    const request = await signedRequest({
      // As SDK clients do: the request's path is what goes on the wire, percent-encoded, and
      // SigV4 encodes it once more (every AWS service but S3).
      path: '/items/a%20b',
      query: { tag: ['x', 'y'], q: 'hello world', empty: '' },
    });
    await expect(verifySigV4(request, expectation)).resolves.toEqual({
      ok: true,
      accessKey: localCredentials.accessKeyId,
    });
  });

  it('accepts a POST body, with and without x-amz-content-sha256, and UNSIGNED-PAYLOAD', async () => {
    const body = JSON.stringify({ order: 42 });
    const post = { method: 'POST', body, headers: { 'content-type': 'application/json' } };
    for (const request of [
      await signedRequest(post),
      await signedRequest({ ...post, applyChecksum: false }),
      await signedRequest({
        ...post,
        headers: { ...post.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      }),
    ])
      expect((await verifySigV4(request, expectation)).ok).toBe(true);
  });

  it('refuses a request with no signature', async () => {
    const request = await signedRequest({}, (r) => ({
      ...r,
      headers: r.headers.filter(([name]) => name.toLowerCase() !== 'authorization'),
    }));
    expect(await reason(request)).toBe('the request is not signed');
  });

  it('refuses a body changed after signing, whether or not its hash was sent', async () => {
    const change = (r: GatewayRequest) => ({ ...r, body: Buffer.from('{"order":43}') });
    const signed = { method: 'POST', body: '{"order":42}' };
    expect(await reason(await signedRequest(signed, change))).toContain('x-amz-content-sha256');
    expect(
      await reason(await signedRequest({ ...signed, applyChecksum: false }, change)),
    ).toContain('signature does not match');
  });

  it('refuses the wrong secret key, another access key, service or region', async () => {
    const wrongSecret = { ...localCredentials, secretAccessKey: 'not-the-secret' };
    expect(await reason(await signedRequest({ credentials: wrongSecret }))).toContain(
      'signature does not match',
    );
    const otherKey = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };
    expect(await reason(await signedRequest({ credentials: otherKey }))).toContain(
      "not lbuild's local access key",
    );
    expect(await reason(await signedRequest({ service: 'execute-api' }))).toContain(
      'service "execute-api"',
    );
    expect(await reason(await signedRequest({ region: 'eu-west-1' }))).toContain(
      'region "eu-west-1"',
    );
  });

  it('accepts a clock 14 minutes off and refuses one 16 minutes off', async () => {
    const at = (minutes: number) => new Date(now + minutes * 60_000);
    expect((await verifySigV4(await signedRequest({ signingDate: at(-14) }), expectation)).ok).toBe(
      true,
    );
    expect(await reason(await signedRequest({ signingDate: at(-16) }))).toContain('expired');
    expect(await reason(await signedRequest({ signingDate: at(16) }))).toContain('expired');
  });

  it('refuses a session token that is not the local one', async () => {
    const request = await signedRequest({
      credentials: { ...localCredentials, sessionToken: 'someone-elses-token' },
    });
    expect(await reason(request)).toContain('session token');
  });

  it('refuses a signed header that was changed in transit', async () => {
    const request = await signedRequest({ headers: { 'x-tenant': 'a' } }, (r) => ({
      ...r,
      headers: r.headers.map(([n, v]): [string, string] => (n === 'x-tenant' ? [n, 'b'] : [n, v])),
    }));
    expect(await reason(request)).toContain('signature does not match');
  });
});
