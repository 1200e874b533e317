// One Cognito user pool as the portal needs it (customers', and admins' when no external IdP is
// configured): admin-created users only, e-mail sign-in, the shared password policy, a hosted-UI
// domain, and an app client for the ALB's authenticate-cognito action.
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  type ICustomAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { DEFAULT_PASSWORD_POLICY } from '../contract/password-policy.js';
import { PAGE_PATHS } from '../contract/routes.js';
import type { MfaMode } from './config.js';

/** The ALB's OAuth callback; Cognito compares it case-sensitively, and the ALB sends it in lower case. */
export const albCallbackUrl = (domainName: string): string => `https://${domainName.toLowerCase()}/oauth2/idpresponse`;
/** Where an IdP sends the browser after logout: the portal's unauthenticated signed-out page. */
export const signedOutUrl = (domainName: string): string => `https://${domainName.toLowerCase()}${PAGE_PATHS.signedOut}`;

export interface PortalUserPoolProps {
  readonly domainName: string;
  readonly domainPrefix: string;
  readonly mfa: MfaMode;
  readonly temporaryPasswordValidityDays: number;
  /** Longest ALB session on this pool: the refresh token must outlive it, or the ALB re-authenticates early. */
  readonly sessionTimeoutSeconds: number;
  readonly customAttributes?: Record<string, ICustomAttribute>;
  /** Custom attributes the ALB client may read (never write). */
  readonly readableCustomAttributes?: string[];
  readonly invitation: { readonly subject: string; readonly body: string };
}

const MFA: Record<MfaMode, Mfa> = { off: Mfa.OFF, optional: Mfa.OPTIONAL, required: Mfa.REQUIRED };

export class PortalUserPool extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  readonly albClient: UserPoolClient;
  /** The `iss` of this pool's tokens, which the ALB copies into `x-amzn-oidc-data`. */
  readonly issuer: string;
  /** Hosted-UI logout: ends the Cognito session and lands on the signed-out page. */
  readonly logoutUrl: string;

  constructor(scope: Construct, id: string, props: PortalUserPoolProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Pool', {
      // Only admins create users (the admin API, or the first-admin invitation).
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      ...(props.customAttributes ? { customAttributes: props.customAttributes } : {}),
      // The same policy the admin API's password generator and the local sign-in page use.
      passwordPolicy: {
        minLength: DEFAULT_PASSWORD_POLICY.minLength,
        requireUppercase: DEFAULT_PASSWORD_POLICY.requireUppercase,
        requireLowercase: DEFAULT_PASSWORD_POLICY.requireLowercase,
        requireDigits: DEFAULT_PASSWORD_POLICY.requireNumbers,
        requireSymbols: DEFAULT_PASSWORD_POLICY.requireSymbols,
        tempPasswordValidity: Duration.days(props.temporaryPasswordValidityDays),
      },
      mfa: MFA[props.mfa],
      ...(props.mfa === 'off' ? {} : { mfaSecondFactor: { otp: true, sms: false } }),
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: { emailSubject: props.invitation.subject, emailBody: props.invitation.body },
      featurePlan: FeaturePlan.ESSENTIALS,
      // Logins (and admins) survive a stack deletion; an operator deletes the pool deliberately.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG3',
        reason: `${this.node.path}/Pool: threat protection (advanced security) needs the Cognito Plus plan, billed per active user; users are admin-created with long random temporary passwords.`,
      },
      {
        id: 'AwsSolutions-COG8',
        reason: `${this.node.path}/Pool: the Essentials plan covers what the portal uses (hosted UI, TOTP MFA, admin-created users); Plus would only add paid threat protection.`,
      },
    );

    this.domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.domainPrefix } });

    const sessionMinutes = Math.ceil(props.sessionTimeoutSeconds / 60);
    this.albClient = this.userPool.addClient('AlbClient', {
      // The ALB authenticate-cognito action needs a confidential client with the code grant.
      generateSecret: true,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [albCallbackUrl(props.domainName)],
        logoutUrls: [signedOutUrl(props.domainName)],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      // "User does not exist" and "wrong password" look alike, so sign-in cannot probe for accounts.
      preventUserExistenceErrors: true,
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes(...(props.readableCustomAttributes ?? [])),
      // Never empty: an empty list means "every attribute is writable", custom ones included.
      // Email is here because Cognito requires the client to be able to write required attributes.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.minutes(Math.max(60, sessionMinutes)),
      enableTokenRevocation: true,
    });

    const stack = Stack.of(this);
    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
    const logoutUri = encodeURIComponent(signedOutUrl(props.domainName));
    this.logoutUrl = `${this.domain.baseUrl()}/logout?client_id=${this.albClient.userPoolClientId}&logout_uri=${logoutUri}`;
  }
}
