// What the gateway keeps in a browser's session cookie (sealed), and when it is still good.
import type { RouteAuth } from '../../contract/routes.js';

export type Audience = Exclude<RouteAuth, 'none'>;

export interface GatewaySession {
  audience: Audience;
  /** The IdP that authenticated the user, and the client id the gateway used there. */
  issuer: string;
  clientId: string;
  /** The IdP's userinfo claims, forwarded in x-amzn-oidc-data. */
  claims: Record<string, unknown>;
  accessToken: string;
  /** Epoch seconds: the session timeout (the ALB's `sessionTimeout`). */
  expiresAt: number;
}

export function isLiveSession(value: unknown, audience: Audience, nowSeconds: number): value is GatewaySession {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<GatewaySession>;
  return (
    s.audience === audience &&
    typeof s.issuer === 'string' &&
    typeof s.clientId === 'string' &&
    typeof s.accessToken === 'string' &&
    typeof s.claims === 'object' && s.claims !== null &&
    typeof s.claims.sub === 'string' &&
    typeof s.expiresAt === 'number' &&
    s.expiresAt > nowSeconds
  );
}
