/**
 * A function URL's id and host name. AWS derives `<url-id>` (32 lower-case letters and digits) from
 * the account and function and never changes it; locally it is derived from the project and function
 * names, so the event a function sees (apiId, domainName, domainPrefix) is stable across restarts.
 */
import { createHash } from 'node:crypto';

const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

export function functionUrlId(project: string, functionName: string): string {
  const digest = createHash('sha256').update(`${project}\0${functionName}`).digest();
  let id = '';
  for (let i = 0; id.length < 32; i++) id += base32[digest[i]! & 31];
  return id;
}

/** "<url-id>.lambda-url.<region>.on.aws": what AWS reports as requestContext.domainName. */
export function functionUrlDomain(urlId: string, region: string): string {
  return `${urlId}.lambda-url.${region}.on.aws`;
}
