// The customer user pool as the stack defines it (sign-in with e-mail, custom attribute `endpoint`,
// the shared password policy, admin-created users only), and its app client, as Cognito API input.
import type { CreateUserPoolClientCommandInput, CreateUserPoolCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { ENDPOINT_ATTRIBUTE, ENDPOINT_CLAIM, ENDPOINT_NAME_LENGTH } from '../../contract/bucket-layout.js';
import { DEFAULT_PASSWORD_POLICY, TEMPORARY_PASSWORD_VALIDITY_DAYS, type PasswordPolicy } from '../../contract/password-policy.js';
import { PAGE_PATHS } from '../../contract/routes.js';

export const LOCAL_POOL_NAME = 'upload-portal-customers-local';
export const LOCAL_CLIENT_NAME = 'upload-portal-alb-local';

export function userPoolInput(policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): CreateUserPoolCommandInput {
  return {
    PoolName: LOCAL_POOL_NAME,
    UsernameAttributes: ['email'],
    UsernameConfiguration: { CaseSensitive: false },
    AutoVerifiedAttributes: ['email'],
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    Policies: {
      PasswordPolicy: {
        MinimumLength: policy.minLength,
        RequireUppercase: policy.requireUppercase,
        RequireLowercase: policy.requireLowercase,
        RequireNumbers: policy.requireNumbers,
        RequireSymbols: policy.requireSymbols,
        TemporaryPasswordValidityDays: TEMPORARY_PASSWORD_VALIDITY_DAYS,
      },
    },
    Schema: [
      { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
      // Written only by the admin Lambda; the app client may read it but not write it. As long as an
      // endpoint name can be, as in the stack's pool.
      {
        Name: ENDPOINT_ATTRIBUTE,
        AttributeDataType: 'String',
        Mutable: true,
        StringAttributeConstraints: { MinLength: String(ENDPOINT_NAME_LENGTH.min), MaxLength: String(ENDPOINT_NAME_LENGTH.max) },
      },
    ],
  };
}

/** The app client the ALB's authenticate-cognito action uses (code grant, with a secret). */
export function appClientInput(userPoolId: string, portalUrl: string): CreateUserPoolClientCommandInput {
  return {
    UserPoolId: userPoolId,
    ClientName: LOCAL_CLIENT_NAME,
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'],
    CallbackURLs: [`${portalUrl}/oauth2/idpresponse`],
    LogoutURLs: [`${portalUrl}${PAGE_PATHS.signedOut}`],
    SupportedIdentityProviders: ['COGNITO'],
    // The local hosted UI signs in with USER_PASSWORD_AUTH against this client.
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    ReadAttributes: ['email', 'email_verified', ENDPOINT_CLAIM],
    // Not custom:endpoint. (cognito-local does not enforce this list; real Cognito does.)
    WriteAttributes: ['email'],
    PreventUserExistenceErrors: 'ENABLED',
  };
}

/** The policy in words, for the New password page. */
export function describePasswordPolicy(policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): string[] {
  const rules = [`At least ${policy.minLength} characters`];
  if (policy.requireUppercase) rules.push('an upper-case letter (A-Z)');
  if (policy.requireLowercase) rules.push('a lower-case letter (a-z)');
  if (policy.requireNumbers) rules.push('a digit (0-9)');
  if (policy.requireSymbols) rules.push('a symbol such as ! # % * + - = ? @ ^ _ ~');
  return rules;
}
