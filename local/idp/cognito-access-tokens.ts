// The customer IdP's access tokens shaped like Cognito's, which the uploads Lambda verifies (the ALB
// forwards them in x-amzn-oidc-accesstoken): an RS256 JWT signed with the IdP's key, its JWKS at
// `${issuer}/.well-known/jwks.json`, with sub, iss, client_id, token_use 'access', scope, auth_time
// (when the user signed in at the IdP, the same for every token of that sign-in), iat, exp, jti and
// username, and no `aud`.
//
// oidc-provider cannot issue such a token itself: its JWT access tokens must carry an audience (a
// resource server's), and its userinfo endpoint refuses any token with one ("token audience prevents
// accessing the userinfo endpoint"); tokens usable at userinfo are opaque by design. The gateway, like
// the ALB, calls userinfo with the access token, so both must work. Hence oidc-provider keeps issuing
// and checking its opaque tokens, and this middleware translates at the edge:
//  - extraTokenClaims records the sign-in's auth_time on each access token (from the authorization
//    code, or the refresh token should refresh tokens ever be enabled: both carry the session's);
//  - after the token endpoint answers, the opaque `access_token` is wrapped into the signed JWT,
//    whose `jti` is the opaque value itself;
//  - before userinfo runs, a Bearer JWT of ours is verified and replaced by its `jti`, so
//    oidc-provider checks the opaque token as before (expiry, scope, grant, session binding).
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { ProviderContext, ProviderMiddleware } from 'oidc-provider';
import type { IdpKeys } from './idp-keys.js';

/** Cognito's paths for what the gateway and the Lambdas fetch; set on the provider (its `routes`). */
export const COGNITO_ROUTES = { token: '/token', userinfo: '/me', jwks: '/.well-known/jwks.json' } as const;

export interface CognitoAccessTokens {
  /** oidc-provider's `extraTokenClaims`: `auth_time` for every access token. */
  extraTokenClaims: (ctx: ProviderContext, token: { kind: string }) => Promise<Record<string, unknown> | undefined>;
  /** For `provider.use`: wraps token responses, unwraps userinfo requests. */
  middleware: ProviderMiddleware;
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

export function createCognitoAccessTokens(issuer: string, keys: IdpKeys): CognitoAccessTokens {
  const jwk = keys.jwks[0];
  if (!jwk || typeof jwk.kid !== 'string') throw new Error('The IdP has no signing key with a kid');
  const kid = jwk.kid;
  const privateKey: KeyObject = createPrivateKey({ key: jwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);

  function signJwt(payload: Record<string, unknown>): string {
    // Cognito's header: kid and alg, nothing else.
    const input = `${base64url(JSON.stringify({ kid, alg: 'RS256' }))}.${base64url(JSON.stringify(payload))}`;
    return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
  }

  /** The opaque token inside a JWT this IdP signed, or undefined for anything else. */
  function unwrap(value: string): string | undefined {
    const [header, payload, signature, extra] = value.split('.');
    if (!header || !payload || !signature || extra !== undefined) return undefined;
    if (!verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    return claims.iss === issuer && claims.token_use === 'access' && typeof claims.jti === 'string' ? claims.jti : undefined;
  }

  async function wrap(ctx: ProviderContext, opaque: string): Promise<string | undefined> {
    const token = await ctx.oidc.provider.AccessToken.find(opaque);
    if (!token?.accountId) return undefined;
    return signJwt({
      sub: token.accountId,
      iss: issuer,
      version: 2,
      client_id: token.clientId,
      token_use: 'access',
      scope: token.scope,
      auth_time: token.extra?.auth_time,
      iat: token.iat,
      exp: token.exp,
      // The opaque token's value: userinfo finds it again from here. No new secret is exposed: the
      // JWT is as much a bearer credential as the opaque value it wraps.
      jti: opaque,
      // Cognito's username; the local pool's usernames are the users' sub, as in the stack's pool.
      username: token.accountId,
    });
  }

  return {
    async extraTokenClaims(ctx, token) {
      if (token.kind !== 'AccessToken') return undefined;
      const { AuthorizationCode: code, RefreshToken: refresh } = ctx.oidc.entities;
      const authTime = code?.authTime ?? refresh?.authTime;
      return typeof authTime === 'number' ? { auth_time: authTime } : undefined;
    },
    async middleware(ctx, next) {
      if (ctx.path === COGNITO_ROUTES.userinfo) {
        const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
        const opaque = bearer ? unwrap(bearer) : undefined;
        if (opaque) ctx.req.headers.authorization = `Bearer ${opaque}`;
      }
      await next();
      if (ctx.path === COGNITO_ROUTES.token && ctx.status === 200) {
        const body = ctx.body as { access_token?: unknown } | undefined;
        if (typeof body?.access_token !== 'string') return;
        const jwt = await wrap(ctx, body.access_token);
        if (jwt) ctx.body = { ...body, access_token: jwt };
      }
    },
  };
}
