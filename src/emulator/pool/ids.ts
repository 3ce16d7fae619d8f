/** Identifiers in the shapes Lambda uses, so code that parses them (X-Ray, ARNs) keeps working. */
import { randomBytes, randomUUID } from 'node:crypto';

export const localAccountId = '000000000000';

export function newRequestId(): string {
  return randomUUID();
}

/** X-Ray trace header: Root=1-<epoch seconds hex>-<24 hex>;Parent=<16 hex>;Sampled=0. */
export function newTraceId(now = Date.now()): string {
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, '0');
  return `Root=1-${seconds}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

export function functionArn(region: string, functionName: string): string {
  return `arn:aws:lambda:${region}:${localAccountId}:function:${functionName}`;
}

/** CloudWatch stream names look like 2024/05/01/[$LATEST]<32 hex>, one per execution environment. */
export function logStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}
