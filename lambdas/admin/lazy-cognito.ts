// The Cognito client, built on its first call rather than with the Lambda's other dependencies: only
// the login routes use it, and constructing an SDK client is a measurable part of a cold start
// (bench figure 3) whose first request (the console's endpoint list) never needs Cognito.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/** All the admin Lambda asks of its Cognito client. */
export type CognitoSender = Pick<CognitoIdentityProviderClient, 'send'>;

export function lazyCognitoClient(create: () => CognitoIdentityProviderClient): CognitoSender {
  let client: CognitoIdentityProviderClient | undefined;
  const send = (...args: Parameters<CognitoIdentityProviderClient['send']>) => (client ??= create()).send(...args);
  return { send: send as CognitoIdentityProviderClient['send'] };
}
