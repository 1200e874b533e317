// Both local IdPs wired for one portal: the admin IdP (one dev admin) and the customers' hosted UI
// (backed by the customer pool), each with the portal's gateway as its one client.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { checkPassword } from '../../contract/password-policy.js';
import { PAGE_PATHS, SESSION_TIMEOUT_DEFAULTS } from '../../contract/routes.js';
import { describePasswordPolicy } from '../cognito/pool-spec.js';
import { ADMIN_CLAIMS, ADMIN_IDP_TITLE, createAdminDirectory, type AdminAccount } from './admin-directory.js';
import { cognitoLogoutUrl, createCognitoLogout } from './cognito-logout.js';
import { createCustomerDirectory, CUSTOMER_CLAIMS, CUSTOMER_IDP_TITLE } from './customer-directory.js';
import { securityHeaders } from './html.js';
import type { IdpKeys } from './idp-keys.js';
import { createIdp, type IdpClient, type LocalIdp } from './idp-server.js';

export const ADMIN_CLIENT_ID = 'upload-portal-admin-local';

export interface LocalIdpsInputs {
  portalUrl: string;
  admin: { issuer: string; keys: IdpKeys; clientSecret: string; account: AdminAccount };
  customer: {
    issuer: string;
    keys: IdpKeys;
    cognito: CognitoIdentityProviderClient;
    userPoolId: string;
    clientId: string;
    /** The app client's secret at Cognito (SECRET_HASH), when it has one. */
    cognitoClientSecret?: string;
    /** What the gateway authenticates with at this IdP: the app client secret, as the ALB does. */
    oidcClientSecret: string;
    verifyTemporaryPassword?: (username: string, password: string) => Promise<boolean>;
  };
}

export interface LocalIdps {
  admin: LocalIdp & { client: IdpClient; logoutUrl: string };
  customer: LocalIdp & { client: IdpClient; logoutUrl: string };
}

export function createLocalIdps(inputs: LocalIdpsInputs): LocalIdps {
  const portalOrigin = new URL(inputs.portalUrl).origin;
  const signedOut = `${inputs.portalUrl}${PAGE_PATHS.signedOut}`;
  const redirectUris = [`${inputs.portalUrl}/oauth2/idpresponse`];

  const adminClient: IdpClient = { clientId: ADMIN_CLIENT_ID, clientSecret: inputs.admin.clientSecret, redirectUris, postLogoutRedirectUris: [signedOut] };
  const admin = createIdp({
    issuer: inputs.admin.issuer,
    title: ADMIN_IDP_TITLE,
    client: adminClient,
    directory: createAdminDirectory(inputs.admin.account),
    claims: ADMIN_CLAIMS,
    keys: inputs.admin.keys,
    cookiePrefix: 'admin_idp',
    portalOrigin,
  });
  const adminLogout = new URL('/session/end', inputs.admin.issuer);
  adminLogout.searchParams.set('client_id', ADMIN_CLIENT_ID);
  adminLogout.searchParams.set('post_logout_redirect_uri', signedOut);

  // The customer IdP's OIDC client IS the pool's app client, as with Cognito's hosted UI and the ALB.
  const c = inputs.customer;
  const customerClient: IdpClient = { clientId: c.clientId, clientSecret: c.oidcClientSecret, redirectUris, postLogoutRedirectUris: [signedOut] };
  const customer = createIdp({
    issuer: c.issuer,
    title: CUSTOMER_IDP_TITLE,
    client: customerClient,
    directory: createCustomerDirectory({
      cognito: c.cognito,
      userPoolId: c.userPoolId,
      clientId: c.clientId,
      clientSecret: c.cognitoClientSecret,
      checkPassword: (password) => checkPassword(password),
      passwordRules: describePasswordPolicy(),
      verifyTemporaryPassword: c.verifyTemporaryPassword,
    }),
    claims: CUSTOMER_CLAIMS,
    keys: c.keys,
    cookiePrefix: 'customer_idp',
    portalOrigin,
    // The uploads Lambda verifies these when a login has a "not before" time (sign-in-verifier.ts).
    cognitoAccessTokens: true,
    // The ALB refreshes an expired access token with the refresh token; the gateway does not refresh,
    // so the token lasts the gateway's whole customer session instead: the Lambdas see a valid token
    // with the sign-in's auth_time for as long as the session lives, as on AWS.
    accessTokenTtlSeconds: SESSION_TIMEOUT_DEFAULTS.customer,
    extraRoutes: createCognitoLogout(customerClient, securityHeaders(portalOrigin)),
  });

  return {
    admin: { ...admin, client: adminClient, logoutUrl: adminLogout.href },
    customer: { ...customer, client: customerClient, logoutUrl: cognitoLogoutUrl(c.issuer, c.clientId, signedOut) },
  };
}
