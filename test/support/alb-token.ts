// Test ALB identity: an ES256 key pair, a loopback key server shaped like the ALB's public-key endpoint
// (`GET /<kid>` -> PEM), and a signer for `x-amzn-oidc-data` tokens, valid or broken on purpose
// (expired, forged, wrong signer, issuer or client). The same server stands in for the customer pool's
// JWKS (`GET /.well-known/jwks.json`, RS256 as Cognito signs), and `accessToken()` mints the
// Cognito-shaped access tokens the ALB forwards in `x-amzn-oidc-accesstoken`. Shared by the uploads,
// admin and gateway tests.
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAdminAllowList } from '../../contract/admin-allow-list.js';
import type { IdentitySettings } from '../../lambdas/shared/identity.js';

export const TEST_ALB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/portal-test/0123456789abcdef';
export const OTHER_ALB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/other/fedcba9876543210';
export const TEST_CUSTOMER_IDP = { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool', clientId: 'test-customer-client' };
export const TEST_ADMIN_IDP = { issuer: 'https://login.example.com/tenant/v2.0', clientId: 'test-admin-client' };
/** The default `adminToken()` e-mail, the one address `settings()` lets in as an admin. */
export const TEST_ADMIN_EMAIL = 'admin@example.com';

export interface AlbTokenOptions {
  issuer: string;
  clientId: string;
  /** Userinfo claims (`sub`, `email`, `custom:endpoint`, ...). */
  claims?: Record<string, unknown>;
  /** Negative for an already expired token. @default 600 */
  expiresInSeconds?: number;
  /** @default the test ALB */
  signer?: string;
  /** @default the served key's id */
  kid?: string;
  /** Sign with another key (a forgery the served public key does not verify). */
  privateKey?: KeyObject;
  /** Overrides the header's `alg` (the signature stays ES256). */
  alg?: string;
}

/** A Cognito access token's claims, each one overridable (`claims: { name: undefined }` leaves one out). */
export interface AccessTokenOptions {
  /** @default 'customer-sub-1', `customerToken()`'s default subject */
  sub?: string;
  /** When the user signed in, epoch seconds. @default now */
  authTime?: number | string;
  /** @default the test customer app client */
  clientId?: string;
  /** @default 'access' */
  tokenUse?: string;
  /** @default the test customer IdP */
  issuer?: string;
  /** Negative for an already expired token. @default 3600 */
  expiresInSeconds?: number;
  /** Sign with another key (a forgery the served JWKS does not verify). */
  privateKey?: KeyObject;
  /** Claims to add or replace. */
  claims?: Record<string, unknown>;
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

const newKeyPair = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const newRsaKeyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
export const JWKS_PATH = '/.well-known/jwks.json';

export class AlbTestIdentity {
  /** A key the server does not publish: tokens signed with it are forgeries. */
  readonly forgeryKey: KeyObject = newKeyPair().privateKey;
  /** An RSA key the JWKS does not hold: access tokens signed with it are forgeries. */
  readonly accessTokenForgeryKey: KeyObject = newRsaKeyPair().privateKey;

  private constructor(
    private readonly server: Server,
    readonly keysUrl: string,
    readonly kid: string,
    private readonly privateKey: KeyObject,
    private readonly accessTokenKey: { kid: string; privateKey: KeyObject },
    private readonly served: { jwksRequests: number },
  ) {}

  /** Starts the key server on 127.0.0.1 and an ephemeral port. */
  static async start(): Promise<AlbTestIdentity> {
    const { privateKey, publicKey } = newKeyPair();
    const kid = randomUUID();
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const rsa = newRsaKeyPair();
    const accessTokenKey = { kid: randomUUID(), privateKey: rsa.privateKey };
    const jwks = JSON.stringify({ keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: accessTokenKey.kid, alg: 'RS256', use: 'sig' }] });
    const served = { jwksRequests: 0 };
    const server = createServer((request, response) => {
      if (request.url === `/${kid}`) {
        response.writeHead(200, { 'content-type': 'text/plain' }).end(pem);
      } else if (request.url === JWKS_PATH) {
        served.jwksRequests += 1;
        response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new AlbTestIdentity(server, `http://127.0.0.1:${port}`, kid, privateKey, accessTokenKey, served);
  }

  /** How many times the customer JWKS was fetched. */
  get jwksRequests(): number {
    return this.served.jwksRequests;
  }

  /**
   * Settings for `createIdentityVerifier` that trust this key server and the test ALB and IdPs.
   * `adminAllowedEmails` is ADMIN_ALLOWED_EMAILS' syntax. @default TEST_ADMIN_EMAIL only
   */
  settings(adminAllowedEmails = TEST_ADMIN_EMAIL, requireEmailVerified = true): IdentitySettings {
    return {
      albArn: TEST_ALB_ARN,
      keysUrl: this.keysUrl,
      // The pool's issuer, with its keys served here instead of `${issuer}/.well-known/jwks.json`.
      customer: { ...TEST_CUSTOMER_IDP, jwksUri: `${this.keysUrl}${JWKS_PATH}` },
      admin: { ...TEST_ADMIN_IDP },
      adminAllowList: parseAdminAllowList(adminAllowedEmails),
      requireEmailVerified,
    };
  }

  sign(options: AlbTokenOptions): string {
    const exp = Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 600);
    // As the ALB does: signer, issuer, client and expiry in the header, claims (with iss and exp) in the payload.
    const header = {
      typ: 'JWT',
      kid: options.kid ?? this.kid,
      alg: options.alg ?? 'ES256',
      iss: options.issuer,
      client: options.clientId,
      signer: options.signer ?? TEST_ALB_ARN,
      exp,
    };
    const payload = { iss: options.issuer, exp, ...options.claims };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const signature = sign('sha256', Buffer.from(input), { key: options.privateKey ?? this.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${base64url(signature)}`;
  }

  customerToken(claims: { sub?: string; email?: string; username?: string; endpoint?: string | null } = {}, options: Partial<AlbTokenOptions> = {}): string {
    const { endpoint, sub = 'customer-sub-1', email = 'customer@example.com', username = 'customer1' } = claims;
    return this.sign({
      ...TEST_CUSTOMER_IDP,
      ...options,
      claims: { sub, email, username, ...(endpoint ? { 'custom:endpoint': endpoint } : {}), ...options.claims },
    });
  }

  /**
   * A Cognito-shaped access token (RS256, header `kid` and `alg` only), as the ALB forwards it in
   * `x-amzn-oidc-accesstoken`: sub, iss, client_id, token_use, scope, auth_time, iat, exp, jti, username.
   */
  accessToken(options: AccessTokenOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { kid: this.accessTokenKey.kid, alg: 'RS256' };
    const payload = {
      sub: options.sub ?? 'customer-sub-1',
      iss: options.issuer ?? TEST_CUSTOMER_IDP.issuer,
      version: 2,
      client_id: options.clientId ?? TEST_CUSTOMER_IDP.clientId,
      token_use: options.tokenUse ?? 'access',
      scope: 'openid email profile',
      auth_time: options.authTime ?? now,
      iat: now,
      exp: now + (options.expiresInSeconds ?? 3600),
      jti: randomUUID(),
      username: 'customer1',
      ...options.claims,
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const signature = sign('sha256', Buffer.from(input), options.privateKey ?? this.accessTokenKey.privateKey);
    return `${input}.${base64url(signature)}`;
  }

  adminToken(claims: { sub?: string; email?: string; name?: string } = {}, options: Partial<AlbTokenOptions> = {}): string {
    const { sub = 'admin-sub-1', email = TEST_ADMIN_EMAIL, name = 'Ada Admin' } = claims;
    // As an IdP that vouches for the address (the local admin IdP and Cognito send the claim).
    return this.sign({ ...TEST_ADMIN_IDP, ...options, claims: { sub, email, name, email_verified: true, ...options.claims } });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
