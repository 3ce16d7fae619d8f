/**
 * Signing requests the way AWS SDK clients do: @smithy/signature-v4 (the SDK for JavaScript's
 * signer) with node:crypto as its hash, over lbuild's local credentials unless told otherwise.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { localCredentials } from '../../../src/emulator/local-credentials.js';

type Data = string | ArrayBuffer | ArrayBufferView;
const toBuffer = (data: Data) =>
  typeof data === 'string'
    ? Buffer.from(data)
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: Data) {
    this.hash =
      secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: Data): void {
    this.hash.update(toBuffer(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
}

export interface SignOptions {
  method?: string;
  host: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
  region?: string;
  service?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  signingDate?: Date;
  /** false: sign without adding x-amz-content-sha256 (as most non-S3 clients do). */
  applyChecksum?: boolean;
}

/** The headers to send: the caller's plus Authorization, X-Amz-Date and the token. */
export async function signedHeaders(options: SignOptions): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: options.credentials ?? localCredentials,
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'lambda',
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    {
      method: options.method ?? 'GET',
      protocol: 'http:',
      hostname: options.host.replace(/:\d+$/, ''),
      path: options.path ?? '/',
      query: options.query ?? {},
      headers: { host: options.host, ...(options.headers ?? {}) },
      ...(options.body !== undefined ? { body: options.body } : {}),
    },
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  return signed.headers as Record<string, string>;
}

/** "a=1&b=2" from the same query object the signer saw, encoded as AWS clients encode it. */
export function queryString(query: Record<string, string | string[]>): string {
  return Object.entries(query)
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map(
        (v) => `${encodeURIComponent(key)}=${encodeURIComponent(v)}`,
      ),
    )
    .join('&');
}
