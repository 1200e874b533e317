// Who is calling: the ALB's signed `x-amzn-oidc-data` header, verified on every request.
// Nothing else from the request is trusted for identity, and any failure is a 401, never a fallback.
// An admin token is further checked against the admin allow-list (403 `admin_not_allowed`).
import { AlbJwtVerifier } from 'aws-jwt-verify';
import { AlbJwksCache } from 'aws-jwt-verify/alb-cache';
import { isAdminAllowed, isEmptyAllowList, type AdminAllowList } from '../../contract/admin-allow-list.js';
import { ENDPOINT_CLAIM } from '../../contract/bucket-layout.js';
import type { EnvValues, IDENTITY_ENV } from '../../contract/lambda-env.js';
import { PortalError } from './errors.js';
import { keyFetcherFor } from './key-fetcher.js';

export type Principal = CustomerPrincipal | AdminPrincipal;

export interface CustomerPrincipal {
  kind: 'customer';
  subject: string;
  username: string;
  email: string;
  /** `custom:endpoint`; null when the login is not bound to an endpoint (the API answers 403). */
  endpoint: string | null;
  /**
   * The ALB's `x-amzn-oidc-accesstoken` as it arrived, NOT verified here: the IdP's access token for
   * this session (from Cognito, a JWT whose `auth_time` says when the user signed in). Only a login
   * with a "not before" time needs it, and the uploads Lambda verifies it then (sign-in-verifier.ts).
   * x-amzn-oidc-data cannot say when the session began: its payload is the IdP's userinfo claims,
   * and Cognito's userinfo carries neither `auth_time` nor `iat`.
   */
  accessToken: string | null;
}

export interface AdminPrincipal {
  kind: 'admin';
  subject: string;
  email: string;
  name: string;
}

export interface IdentitySettings {
  /** The load balancer that must have signed the token (the JWT header's `signer`). */
  albArn: string;
  /** Where the ALB's public keys are served, `${keysUrl}/${kid}`. */
  keysUrl: string;
  /** `jwksUri`: where the customer IdP's token keys are, Cognito's `${issuer}/.well-known/jwks.json`. */
  customer: { issuer: string; clientId: string; jwksUri: string };
  admin: { issuer: string; clientId: string };
  /** Who among the admin IdP's users is an admin (`ADMIN_ALLOWED_EMAILS`; see admin-allow-list.ts). */
  adminAllowList: AdminAllowList;
  /** Only an e-mail the IdP marks verified counts (`ADMIN_REQUIRE_EMAIL_VERIFIED`). */
  requireEmailVerified: boolean;
}

/** Identity settings from the parsed Lambda environment (contract/lambda-env.ts). */
export function identitySettings(env: EnvValues<(typeof IDENTITY_ENV)[number]>): IdentitySettings {
  const region = env.AWS_REGION ?? 'us-east-1';
  return {
    albArn: env.ALB_ARN,
    // GovCloud uses a different host; the stack sets ALB_KEYS_URL explicitly for it.
    keysUrl: env.ALB_KEYS_URL ?? `https://public-keys.auth.elb.${region}.amazonaws.com`,
    customer: { issuer: env.CUSTOMER_ISSUER, clientId: env.CUSTOMER_CLIENT_ID, jwksUri: `${env.CUSTOMER_ISSUER}/.well-known/jwks.json` },
    admin: { issuer: env.ADMIN_ISSUER, clientId: env.ADMIN_CLIENT_ID },
    // Unset or empty = nobody (fail-closed with a 403, not a start-up error: the uploads Lambda serves
    // customers too). A malformed list fails the environment's parse, like a missing ALB_ARN.
    adminAllowList: env.ADMIN_ALLOWED_EMAILS,
    requireEmailVerified: env.ADMIN_REQUIRE_EMAIL_VERIFIED,
  };
}

/**
 * An Amazon Cognito user pool's issuer, `https://cognito-idp.<region>.amazonaws.com[.cn]/<pool id>`.
 * The ALB's `x-amzn-oidc-data` carries the IdP's userinfo claims, and Cognito's userinfo endpoint
 * writes `email_verified` as a string ("true" / "false"), where its ID tokens and OpenID Connect
 * itself have a boolean.
 */
export const isCognitoIssuer = (issuer: string): boolean => /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9-]+_[A-Za-z0-9]+$/.test(issuer);

/**
 * Is the e-mail verified by the IdP? The boolean `true`, as OpenID Connect defines the claim; the
 * string `"true"` (exactly) only from a Cognito user pool (`stringClaims`), which writes it so.
 * Anything else (false, "false", absent, another type or spelling) is unverified, unless the
 * deployment says its IdP never sends the claim, and then only an absent claim passes.
 */
export function isEmailVerified(claim: unknown, required: boolean, stringClaims = false): boolean {
  if (claim === true || (stringClaims && claim === 'true')) return true;
  return !required && claim === undefined;
}

/** 403 `admin_not_allowed` unless the allow-list admits `email` and the IdP vouches for it. */
function assertAdminAllowed(settings: IdentitySettings, email: string, emailVerified: unknown): void {
  const list = settings.adminAllowList;
  if (list.everyone) return;
  if (isEmptyAllowList(list)) throw new PortalError('admin_not_allowed', 'No portal administrators are configured (ADMIN_ALLOWED_EMAILS is empty)');
  if (!isEmailVerified(emailVerified, settings.requireEmailVerified, isCognitoIssuer(settings.admin.issuer)) || !isAdminAllowed(list, email)) {
    throw new PortalError('admin_not_allowed', 'Your account is not on this portal\'s list of administrators');
  }
}

export type IdentityVerifier = (headers: Record<string, string>) => Promise<Principal>;

export function createIdentityVerifier(settings: IdentitySettings): IdentityVerifier {
  // The local gateway's key server is plain http on loopback (key-fetcher.ts).
  const fetcher = keyFetcherFor(settings.keysUrl, 'ALB keys URL');
  const jwksCache = fetcher ? new AlbJwksCache({ fetcher }) : undefined;
  const common = { albArn: settings.albArn, jwksUri: settings.keysUrl };
  const verifier = AlbJwtVerifier.create(
    [
      { ...common, issuer: settings.customer.issuer, clientId: settings.customer.clientId },
      { ...common, issuer: settings.admin.issuer, clientId: settings.admin.clientId },
    ],
    jwksCache ? { jwksCache } : undefined,
  );
  return async (headers) => {
    const token = headers['x-amzn-oidc-data'];
    if (!token) throw new PortalError('unauthenticated', 'Missing identity token');
    let payload: Record<string, unknown>;
    try {
      payload = (await verifier.verify(token));
    } catch {
      // The reason (expired, wrong signer, bad signature) is not told to the caller.
      throw new PortalError('unauthenticated', 'Identity token is invalid or expired');
    }
    const text = (name: string): string => (typeof payload[name] === 'string' ? (payload[name]) : '');
    const subject = text('sub');
    if (!subject) throw new PortalError('unauthenticated', 'Identity token has no subject');
    if (payload.iss === settings.admin.issuer) {
      const email = text('email');
      assertAdminAllowed(settings, email, payload.email_verified);
      return { kind: 'admin', subject, email, name: text('name') || email };
    }
    return {
      kind: 'customer',
      subject,
      username: text('username') || text('cognito:username') || subject,
      email: text('email'),
      endpoint: text(ENDPOINT_CLAIM) || null,
      accessToken: headers['x-amzn-oidc-accesstoken'] || null,
    };
  };
}
