/** Identifiers in the shapes Lambda uses, so code that parses them (X-Ray, ARNs) keeps working. */
import { randomFillSync, randomUUID } from 'node:crypto';

export const localAccountId = '000000000000';

/**
 * Random bytes for ids, taken from a pool refilled 4 KB at a time (as randomUUID does internally):
 * a randomBytes() call per id costs more than the rest of the id's work on the invocation path.
 */
const entropy = Buffer.allocUnsafe(4096);
let entropyOffset = entropy.length;

function takeRandom(bytes: number): number {
  if (entropyOffset + bytes > entropy.length) {
    randomFillSync(entropy);
    entropyOffset = 0;
  }
  const at = entropyOffset;
  entropyOffset += bytes;
  return at;
}

export function randomHex(bytes: number): string {
  const at = takeRandom(bytes);
  return entropy.toString('hex', at, at + bytes);
}

export function randomBase64(bytes: number): string {
  const at = takeRandom(bytes);
  return entropy.toString('base64', at, at + bytes);
}

export function newRequestId(): string {
  return randomUUID();
}

/** X-Ray trace header: Root=1-<epoch seconds hex>-<24 hex>;Parent=<16 hex>;Sampled=0. */
export function newTraceId(now = Date.now()): string {
  const seconds = Math.floor(now / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${seconds}-${randomHex(12)};Parent=${randomHex(8)};Sampled=0`;
}

export function functionArn(region: string, functionName: string): string {
  return `arn:aws:lambda:${region}:${localAccountId}:function:${functionName}`;
}

/** CloudWatch stream names look like 2024/05/01/[$LATEST]<32 hex>, one per execution environment. */
export function logStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomHex(16)}`;
}
