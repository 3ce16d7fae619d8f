/**
 * The one set of AWS credentials that exists inside a local lbuild stack. Lambda hands a function its
 * execution role's short-lived credentials; locally every function gets these instead, so SDK
 * clients construct and nothing reaches a real account by accident. They are also what an AWS_IAM
 * function URL accepts (documented in the README), so there is one set of credentials in a stack,
 * not a second secret to configure, and nobody's real keys are asked for.
 */
import { localAccountId } from './pool/ids.js';

export const localCredentials = {
  accessKeyId: 'ASIAXXXXLBUILDLOCAL00',
  secretAccessKey: 'lbuild-local-dummy-secret-access-key-0000',
  sessionToken: 'lbuild-local-dummy-session-token',
} as const;

/** Who signed with the local credentials, as a function URL's authorizer.iam reports a caller. */
export const localCaller = {
  accountId: localAccountId,
  userId: 'AIDAXXXXLBUILDLOCAL00',
  userArn: `arn:aws:iam::${localAccountId}:user/lbuild-local`,
} as const;
