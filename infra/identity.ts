// Who may sign in: the customers' Cognito pool (with the `custom:endpoint` binding the ALB client can
// read but not write), and the admins' identity: the company's OIDC IdP, or else a second Cognito
// pool whose first admin is invited by e-mail.
import { SecretValue, Validations } from 'aws-cdk-lib';
import { CfnUserPoolUser, StringAttribute } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ENDPOINT_ATTRIBUTE, ENDPOINT_NAME_LENGTH } from '../contract/bucket-layout.js';
import { type AdminOidcIdp, type PortalConfig, adminDomainPrefix, portalUrl } from './config.js';
import { PortalUserPool, signedOutUrl } from './cognito-pool.js';

export type IdentityConfig = Pick<
  PortalConfig,
  | 'domainName'
  | 'cognitoDomainPrefix'
  | 'mfa'
  | 'temporaryPasswordValidityDays'
  | 'customerSessionTimeoutSeconds'
  | 'adminSessionTimeoutSeconds'
  | 'admin'
>;

export interface IdentityProps {
  readonly config: IdentityConfig;
}

/**
 * What the Lambdas know of one audience's sign-in (the ISSUER, CLIENT_ID and LOGOUT_URL variables): the
 * expected `iss` and client id of its tokens, and its logout URL (empty when an external IdP has no
 * end-session endpoint).
 */
export interface AudienceTokens {
  readonly issuer: string;
  readonly clientId: string;
  readonly logoutUrl: string;
}

/** A Cognito pool's tokens come from its ALB client. */
const poolTokens = (pool: PortalUserPool): AudienceTokens => ({ issuer: pool.issuer, clientId: pool.albClient.userPoolClientId, logoutUrl: pool.logoutUrl });

/** How the ALB authenticates one audience: a Cognito pool, or an external OIDC IdP. */
export type AlbAuthenticator =
  | { readonly kind: 'cognito'; readonly pool: PortalUserPool }
  | { readonly kind: 'oidc'; readonly idp: AdminOidcIdp; readonly clientSecret: SecretValue };

export class Identity extends Construct {
  readonly customer: PortalUserPool;
  readonly admin: AlbAuthenticator;
  readonly customerTokens: AudienceTokens;
  readonly adminTokens: AudienceTokens;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const { config } = props;
    const portal = portalUrl(config);

    this.customer = new PortalUserPool(this, 'Customers', {
      domainName: config.domainName,
      domainPrefix: config.cognitoDomainPrefix,
      mfa: config.mfa,
      temporaryPasswordValidityDays: config.temporaryPasswordValidityDays,
      sessionTimeoutSeconds: config.customerSessionTimeoutSeconds,
      // Mutable so the admin API can re-bind a login; only the admin API can write it (see writeAttributes).
      customAttributes: { [ENDPOINT_ATTRIBUTE]: new StringAttribute({ minLen: ENDPOINT_NAME_LENGTH.min, maxLen: ENDPOINT_NAME_LENGTH.max, mutable: true }) },
      readableCustomAttributes: [ENDPOINT_ATTRIBUTE],
      invitation: {
        subject: 'Your upload portal login',
        body:
          `An upload area has been set up for you at ${portal}/ . Sign in with the user name {username} and the ` +
          `temporary password {####} (valid ${config.temporaryPasswordValidityDays} days); you will then choose your own password.`,
      },
    });
    acknowledgeCustomerPool(this.customer, config.mfa);
    this.customerTokens = poolTokens(this.customer);

    if (config.admin.kind === 'oidc') {
      const idp = config.admin.idp;
      this.admin = { kind: 'oidc', idp, clientSecret: SecretValue.secretsManager(idp.clientSecretName) };
      this.adminTokens = { issuer: idp.issuer, clientId: idp.clientId, logoutUrl: idp.endSessionEndpoint ? oidcLogoutUrl(idp, signedOutUrl(config.domainName)) : '' };
    } else {
      const pool = new PortalUserPool(this, 'Admins', {
        domainName: config.domainName,
        domainPrefix: adminDomainPrefix(config),
        // Admins see every customer's files: MFA is not optional for them.
        mfa: 'required',
        temporaryPasswordValidityDays: config.temporaryPasswordValidityDays,
        sessionTimeoutSeconds: config.adminSessionTimeoutSeconds,
        invitation: {
          subject: 'Your upload portal admin login',
          body:
            `You are an admin of the upload portal. Sign in at ${portal}/admin with the user name {username} and the ` +
            `temporary password {####} (valid ${config.temporaryPasswordValidityDays} days), then choose a password and set up an authenticator app.`,
        },
      });
      new CfnUserPoolUser(this, 'FirstAdmin', {
        userPoolId: pool.userPool.userPoolId,
        username: config.admin.firstAdminEmail,
        userAttributes: [
          { name: 'email', value: config.admin.firstAdminEmail },
          { name: 'email_verified', value: 'true' },
        ],
        desiredDeliveryMediums: ['EMAIL'],
      });
      this.admin = { kind: 'cognito', pool };
      this.adminTokens = poolTokens(pool);
    }
  }
}


/** OIDC RP-initiated logout: the IdP ends its session and returns to the signed-out page if it knows it. */
export function oidcLogoutUrl(idp: Pick<AdminOidcIdp, 'endSessionEndpoint' | 'clientId'>, postLogoutRedirectUri: string): string {
  if (!idp.endSessionEndpoint) return '';
  const separator = idp.endSessionEndpoint.includes('?') ? '&' : '?';
  return `${idp.endSessionEndpoint}${separator}client_id=${encodeURIComponent(idp.clientId)}&post_logout_redirect_uri=${encodeURIComponent(postLogoutRedirectUri)}`;
}

/** COG2 (MFA required) is acknowledged only when the deployment config turned customer MFA down. */
function acknowledgeCustomerPool(customer: PortalUserPool, mfa: PortalConfig['mfa']): void {
  if (mfa !== 'required') {
    Validations.of(customer.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason: `Identity/Customers/Pool: customer MFA is "${mfa}" because the deployment config (key mfa) chose it; the default is "required".`,
    });
  }
}
