/**
 * Checking an AWS Signature Version 4 header signature the way an AWS_IAM function URL does: the
 * credential scope must name the local access key, the URL's region and service "lambda"; the
 * X-Amz-Date must be within 15 minutes of now; a payload hash the client sent must match the body
 * (UNSIGNED-PAYLOAD is accepted); then the signature is computed again over the signed headers and
 * compared in constant time. The canonical request is @smithy/signature-v4's, the signer the AWS
 * SDK for JavaScript uses, so the path, query and header canonicalisation agree with real clients.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, timingSafeEqual } from 'node:crypto';
import { headerValue, safeDecode, type GatewayRequest } from '../apigw/request.js';
import { NodeSha256 } from './node-sha256.js';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigV4Expectation {
  credentials: SigningCredentials;
  region: string;
  service: string;
  /** Epoch milliseconds; the request's X-Amz-Date must be within 15 minutes of it. */
  now: number;
}

export type SigV4Result = { ok: true; accessKey: string } | { ok: false; reason: string };

const algorithm = 'AWS4-HMAC-SHA256';
const maxClockSkewMs = 15 * 60 * 1000;
const unsignedPayload = 'UNSIGNED-PAYLOAD';

interface ParsedAuthorization {
  accessKey: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(value: string): ParsedAuthorization | string {
  const match =
    /^(\S+)\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/.exec(
      value.trim(),
    );
  if (!match) return 'the Authorization header is not a SigV4 signature';
  if (match[1] !== algorithm) return `the signing algorithm must be ${algorithm}`;
  return {
    accessKey: match[2]!,
    date: match[3]!,
    region: match[4]!,
    service: match[5]!,
    signedHeaders: match[6]!.split(';'),
    signature: match[7]!,
  };
}

/** "20261206T022700Z" → epoch ms; undefined when malformed. */
function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, ...number[]];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

/** Query values decoded, no '+' → space (SigV4 encodes a space as %20), key-only → "". */
function signingQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(part.slice(eq + 1));
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else query[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Each check in AWS's order, failing with the reason the 403 is logged with. */
function checkScope(
  request: GatewayRequest,
  auth: ParsedAuthorization,
  expected: SigV4Expectation,
): string | number {
  if (auth.accessKey !== expected.credentials.accessKeyId)
    return `access key ${auth.accessKey} is not lbuild's local access key ${expected.credentials.accessKeyId}`;
  if (auth.service !== expected.service)
    return `the credential is scoped to service "${auth.service}", not "${expected.service}"`;
  if (auth.region !== expected.region)
    return `the credential is scoped to region "${auth.region}", not this URL's "${expected.region}"`;
  if (!auth.signedHeaders.includes('host')) return 'the Host header is not signed';
  const amzDate = headerValue(request, 'x-amz-date');
  const signedAt = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (signedAt === undefined) return 'X-Amz-Date is missing or not like 20260101T000000Z';
  if (amzDate!.slice(0, 8) !== auth.date)
    return `the credential scope date ${auth.date} is not the date of X-Amz-Date ${amzDate}`;
  if (Math.abs(expected.now - signedAt) > maxClockSkewMs)
    return `the signature expired: X-Amz-Date ${amzDate} is more than 15 minutes from now`;
  const token = headerValue(request, 'x-amz-security-token');
  if (token !== undefined && token !== expected.credentials.sessionToken)
    return 'X-Amz-Security-Token is not the local session token';
  const payloadHash = headerValue(request, 'x-amz-content-sha256');
  if (
    payloadHash !== undefined &&
    payloadHash !== unsignedPayload &&
    payloadHash !== createHash('sha256').update(request.body).digest('hex')
  )
    return 'x-amz-content-sha256 does not match the body';
  return signedAt;
}

export async function verifySigV4(
  request: GatewayRequest,
  expected: SigV4Expectation,
): Promise<SigV4Result> {
  const header = headerValue(request, 'authorization');
  if (header === undefined) return { ok: false, reason: 'the request is not signed' };
  const auth = parseAuthorization(header);
  if (typeof auth === 'string') return { ok: false, reason: auth };
  const signedAt = checkScope(request, auth, expected);
  if (typeof signedAt === 'string') return { ok: false, reason: signedAt };

  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = headerValue(request, name);
    if (value === undefined) return { ok: false, reason: `signed header ${name} is missing` };
    headers[name] = value;
  }
  const signsToken = auth.signedHeaders.includes('x-amz-security-token');
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: expected.credentials.accessKeyId,
      secretAccessKey: expected.credentials.secretAccessKey,
      // The signer adds the token header itself: only when the client signed it too.
      ...(signsToken && headers['x-amz-security-token']
        ? { sessionToken: headers['x-amz-security-token'] }
        : {}),
    },
    region: expected.region,
    service: expected.service,
    sha256: NodeSha256,
    // Never add a payload-hash header the client did not sign.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: request.rawPath,
      query: signingQuery(request.rawQueryString),
      headers,
      body: request.body,
    },
    { signingDate: new Date(signedAt), signableHeaders: new Set(auth.signedHeaders) },
  );
  const computed = /SignedHeaders=([^,]+), Signature=([0-9a-f]+)/.exec(
    String(signed.headers.authorization ?? ''),
  );
  if (!computed || computed[1] !== auth.signedHeaders.join(';'))
    return { ok: false, reason: 'the signed headers are not in canonical order' };
  if (!sameText(computed[2]!, auth.signature))
    return {
      ok: false,
      reason:
        'the signature does not match (wrong secret key, or the request changed after signing)',
    };
  return { ok: true, accessKey: auth.accessKey };
}
