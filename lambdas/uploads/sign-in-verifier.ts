// When did a customer's session begin? The answer the session check (access.ts) compares with the
// login's "not before" time, proved by the ALB's `x-amzn-oidc-accesstoken`: with Cognito, the pool's
// access token, a JWT signed with the keys at `${issuer}/.well-known/jwks.json` whose `auth_time` is
// when the user signed in (Cognito keeps it across refreshes, so a refreshed token still tells the
// old sign-in). x-amzn-oidc-data cannot tell: its payload is the userinfo claims, without a time.
// Used only for a login that has a cut-off, so the verifier is built, and the JWKS fetched, on first
// use: other requests pay nothing for it.
import { JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwtBaseError } from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { CustomerPrincipal } from '../shared/identity.js';
import { keyFetcherFor } from '../shared/key-fetcher.js';

/** The customer IdP as the stack configures it (CUSTOMER_ISSUER, CUSTOMER_CLIENT_ID). */
export interface AccessTokenIssuer {
  issuer: string;
  /** The app client the ALB signs in with: its access tokens carry it as `client_id`. */
  clientId: string;
  /** Where the issuer's signing keys are, `${issuer}/.well-known/jwks.json` for Cognito. */
  jwksUri: string;
}

export interface SignInVerifier {
  /**
   * Epoch seconds of the sign-in behind `principal`'s session: the `auth_time` of its access token,
   * once that token is verified (signature and issuer, expiry, `token_use: access`, our app client,
   * the same `sub` as the identity token). Null when there is no such proof: no token, a token that
   * fails any of these checks, or one without a numeric `auth_time`. Throws only when the keys
   * cannot be fetched (an outage, not a verdict on the session).
   */
  verifiedSignInTime(principal: CustomerPrincipal): Promise<number | null>;
}

export function createSignInVerifier(idp: AccessTokenIssuer): SignInVerifier {
  // Checked at start-up like the ALB keys URL: a wrong setting fails the first request loudly.
  const fetcher = keyFetcherFor(idp.jwksUri, 'Customer IdP keys URL');
  let verifier: ReturnType<typeof build> | undefined;
  function build() {
    return JwtVerifier.create(
      {
        issuer: idp.issuer,
        jwksUri: idp.jwksUri,
        // Cognito access tokens have no `aud`; they name the app client in `client_id` instead.
        audience: null,
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== 'access') throw new NotOurAccessToken('token_use is not access');
          if (payload.client_id !== idp.clientId) throw new NotOurAccessToken('client_id is not the portal app client');
        },
      },
      fetcher ? { jwksCache: new SimpleJwksCache({ fetcher }) } : undefined,
    );
  }
  return {
    async verifiedSignInTime(principal) {
      if (!principal.accessToken) return null;
      verifier ??= build();
      let payload;
      try {
        payload = await verifier.verify(principal.accessToken);
      } catch (error) {
        // A key server that cannot be reached says nothing about this token: a 500, not a refusal.
        if (error instanceof FetchError || !(error instanceof JwtBaseError || error instanceof NotOurAccessToken)) throw error;
        return null;
      }
      // Another user's token (both came from the ALB, but only the identity token's subject is the caller).
      if (payload.sub !== principal.subject) return null;
      const authTime = payload.auth_time;
      return typeof authTime === 'number' && Number.isFinite(authTime) ? authTime : null;
    },
  };
}

class NotOurAccessToken extends Error {
  override readonly name = 'NotOurAccessToken';
}
