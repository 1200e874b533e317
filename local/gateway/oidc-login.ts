// The authenticate action's OpenID Connect client side: the authorization-code flow the ALB runs
// against an IdP (openid-client 6), from the redirect to the IdP to the userinfo claims.
import * as oidc from 'openid-client';
import type { Audience } from './session.js';

export interface AudienceSettings {
  audience: Audience;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The ALB's default scope is `openid`; userinfo needs `email profile` for the claims the Lambdas read. */
  scope: string;
}

/** Kept in a sealed cookie between the redirect to the IdP and `/oauth2/idpresponse`. */
export interface PendingLogin {
  audience: Audience;
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  expiresAt: number;
}

export interface CompletedLogin {
  claims: Record<string, unknown>;
  accessToken: string;
}

export interface OidcLogin {
  readonly settings: AudienceSettings;
  start(returnTo: string, nowSeconds: number): Promise<{ authorizationUrl: string; pending: PendingLogin }>;
  finish(callbackUrl: URL, pending: PendingLogin): Promise<CompletedLogin>;
}

/** How long a user may take at the IdP's sign-in page. */
const LOGIN_WINDOW_SECONDS = 15 * 60;

export function createOidcLogin(settings: AudienceSettings, redirectUri: string): OidcLogin {
  let configuration: Promise<oidc.Configuration> | undefined;
  // Discovered on first use (the IdP may start after the gateway), retried after a failure.
  const discover = (): Promise<oidc.Configuration> =>
    (configuration ??= oidc
      .discovery(new URL(settings.issuer), settings.clientId, undefined, oidc.ClientSecretPost(settings.clientSecret), {
        // Local IdPs speak plain http on loopback; the real ALB only talks https.
        execute: [oidc.allowInsecureRequests],
      })
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      }));

  return {
    settings,
    async start(returnTo, nowSeconds) {
      const config = await discover();
      const pending: PendingLogin = {
        audience: settings.audience,
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
        returnTo,
        expiresAt: nowSeconds + LOGIN_WINDOW_SECONDS,
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: settings.scope,
        response_type: 'code',
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { authorizationUrl: url.href, pending };
    },
    async finish(callbackUrl, pending) {
      const config = await discover();
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const subject = tokens.claims()?.sub;
      if (!subject) throw new Error('ID token has no subject');
      const claims = await oidc.fetchUserInfo(config, tokens.access_token, subject);
      return { claims: { ...claims }, accessToken: tokens.access_token };
    },
  };
}
