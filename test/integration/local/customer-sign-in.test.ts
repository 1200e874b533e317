// The customers' local hosted UI against cognito-local: first sign-in with the New password step,
// and the checks cognito-local skips (temporary password, disabled users, password policy), then
// the claims the Lambdas get (custom:endpoint), the Cognito-shaped access token the uploads Lambda
// verifies for revoked sessions, and Cognito-style logout. Lambda targets are stubs.
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLambdaEnv } from '../../../contract/lambda-env.js';
import { createIdentityVerifier, identitySettings, type Principal } from '../../../lambdas/shared/identity.js';
import { keyFetcherFor } from '../../../lambdas/shared/key-fetcher.js';
import { createSignInVerifier } from '../../../lambdas/uploads/sign-in-verifier.js';
import { alertText, BrowserClient, headersOf, signInCustomer, startTestPortal, type TestPortal } from '../../support/local-portal.js';

const events: ALBEvent[] = [];
const stub = async (event: ALBEvent): Promise<ALBResult> => {
  events.push(event);
  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
};

let portal: TestPortal;
let cognito: CognitoIdentityProviderClient;

const TEMPORARY = 'Temp-Passw0rd!x';
const STRONG = 'Correct-Horse-7-Battery';

async function createCustomer(email: string, endpoint: string): Promise<void> {
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: portal.cognito.userPoolId,
      Username: email,
      TemporaryPassword: TEMPORARY,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'custom:endpoint', Value: endpoint },
      ],
    }),
  );
}

async function identityOf(client: BrowserClient) {
  const response = await client.fetch(`${portal.url}/api/me`);
  expect(response.status).toBe(200);
  const event = events[events.length - 1]!;
  const headers = headersOf(event);
  return { headers, principal: await createIdentityVerifier(identitySettings(parseLambdaEnv('uploads', portal.env)))(headers) };
}

beforeAll(async () => {
  portal = await startTestPortal({ handlers: { web: stub, uploads: stub, admin: stub } });
  cognito = new CognitoIdentityProviderClient({ endpoint: portal.cognito.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  cognito?.destroy();
  await portal?.stop();
});

describe('first sign-in', () => {
  const email = 'first@customer.example';
  const client = new BrowserClient();
  beforeAll(() => createCustomer(email, 'acme-first'));

  it('refuses a wrong temporary password (cognito-local would ask for a new password)', async () => {
    const page = await signInCustomer(client, portal, email, 'Not-The-Temp-1!');
    expect(page.status).toBe(401);
    expect(alertText(page)).toBe('Incorrect email or password.');
    expect(page.body).not.toContain('New password');
  });

  it('asks for a new password and refuses one that breaks the pool policy', async () => {
    const page = await signInCustomer(client, portal, email, TEMPORARY, 'weakpassword');
    expect(page.status).toBe(400);
    expect(page.body).toContain('<label for="new-password">New password</label>');
    expect(alertText(page)).toMatch(/not allowed.*upper-case.*digit.*symbol/);
    expect(client.cookies().has('PortalSession-0')).toBe(false);
  });

  it('sets a strong new password and lands on the portal with a customer session', async () => {
    const page = await signInCustomer(client, portal, email, TEMPORARY, STRONG);
    expect(page.url).toBe(`${portal.url}/`);
    expect(client.cookies().has('PortalSession-0')).toBe(true);
  });

  it('gives the Lambdas Cognito-like claims, signed for the customer issuer and app client', async () => {
    const { headers, principal } = await identityOf(client);
    expect(principal).toMatchObject({ kind: 'customer', email, endpoint: 'acme-first' });
    expect(principal.kind === 'customer' && principal.username).toBe(principal.subject);
    const [jwtHeader, payload] = headers['x-amzn-oidc-data']!.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(jwtHeader).toMatchObject({ iss: portal.env.CUSTOMER_ISSUER, client: portal.env.CUSTOMER_CLIENT_ID, signer: portal.env.ALB_ARN });
    expect(payload).toMatchObject({ iss: portal.idps.customer.issuer, email, 'custom:endpoint': 'acme-first', email_verified: true });
  });

  it('keeps the customer out of the admin API and sends /admin to the admin IdP', async () => {
    expect((await client.fetch(`${portal.url}/admin/api/endpoints`)).status).toBe(401);
    const admin = await client.fetch(`${portal.url}/admin`);
    expect(admin.status).toBe(302);
    expect(admin.headers.get('location')).toContain(portal.idps.admin.issuer);
  });

  it('signs in later with the new password only, whatever the case of the e-mail address', async () => {
    expect((await signInCustomer(new BrowserClient(), portal, email, TEMPORARY)).status).toBe(401);
    const again = new BrowserClient();
    const page = await signInCustomer(again, portal, email.toUpperCase(), STRONG);
    expect(page.url).toBe(`${portal.url}/`);
    expect(again.cookies().has('PortalSession-0')).toBe(true);
  });

  it('signs out at the hosted UI (Cognito /logout) and back to /signed-out', async () => {
    const page = await client.navigate(portal.env.CUSTOMER_LOGOUT_URL!);
    expect(page.url).toBe(`${portal.url}/signed-out`);
    client.deleteCookie('localhost', 'PortalSession-0');
    const next = await client.navigate(`${portal.url}/`);
    expect(next.body).toContain('<label for="email">Email</label>');
  });
});

describe("the customer IdP's access token (x-amzn-oidc-accesstoken), shaped like Cognito's", () => {
  const email = 'token@customer.example';
  const client = new BrowserClient();
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
  /** The token of the sign-in below, as the gateway forwarded it, with its claims (decoded, not verified). */
  let first: { token: string; claims: Record<string, unknown>; principal: Principal; signedInAt: number };
  beforeAll(async () => {
    await createCustomer(email, 'acme-token');
    const signedInAt = Math.floor(Date.now() / 1000);
    expect((await signInCustomer(client, portal, email, TEMPORARY, STRONG)).url).toBe(`${portal.url}/`);
    const { headers, principal } = await identityOf(client);
    const token = headers['x-amzn-oidc-accesstoken']!;
    first = { token, claims: decode(token.split('.')[1]!), principal, signedInAt };
  });

  it('is a JWT that aws-jwt-verify accepts with the JWKS at ${issuer}/.well-known/jwks.json, with the claims Cognito writes', async () => {
    const { token, principal, signedInAt } = first;
    const issuer = portal.env.CUSTOMER_ISSUER!;
    const verifier = JwtVerifier.create(
      { issuer, audience: null, jwksUri: `${issuer}/.well-known/jwks.json` },
      { jwksCache: new SimpleJwksCache({ fetcher: keyFetcherFor(issuer, 'issuer')! }) },
    );
    const claims = (await verifier.verify(token)) as Record<string, unknown>;
    expect(decode(token.split('.')[0]!)).toEqual({ kid: expect.any(String), alg: 'RS256' });
    expect(claims).toEqual({
      sub: principal.subject,
      iss: issuer,
      version: 2,
      client_id: portal.env.CUSTOMER_CLIENT_ID,
      token_use: 'access',
      scope: 'openid email profile',
      auth_time: expect.any(Number),
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.any(String),
      username: principal.kind === 'customer' ? principal.username : null,
    });
    expect(Math.abs((claims.auth_time as number) - signedInAt)).toBeLessThan(30);
    // What the uploads Lambda concludes from it, with the settings the local portal gave it.
    const signIns = createSignInVerifier(identitySettings(parseLambdaEnv('uploads', portal.env)).customer);
    expect(principal.kind === 'customer' && (await signIns.verifiedSignInTime(principal))).toBe(claims.auth_time);
  });

  it("keeps the sign-in's auth_time in the next token of the same IdP session (the gateway itself never refreshes)", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a later iat
    // A new portal session without a password: the IdP still knows the user and issues new tokens.
    client.deleteCookie('localhost', 'PortalSession-0');
    const again = await client.navigate(`${portal.url}/`);
    expect(again.url).toBe(`${portal.url}/`);
    const token = (await identityOf(client)).headers['x-amzn-oidc-accesstoken']!;
    const claims = decode(token.split('.')[1]!);
    expect(token).not.toBe(first.token);
    expect(claims.iat as number).toBeGreaterThan(first.claims.iat as number);
    expect(claims.auth_time).toBe(first.claims.auth_time);
  });

  it('still opens userinfo for the gateway, and only with a token this IdP signed', async () => {
    const userinfo = `${portal.idps.customer.issuer}/me`;
    const answer = await fetch(userinfo, { headers: { authorization: `Bearer ${first.token}` } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ sub: first.claims.sub, email, 'custom:endpoint': 'acme-token' });
    const [header, payload] = first.token.split('.');
    const tampered = `${header}.${payload}.${Buffer.alloc(256).toString('base64url')}`;
    expect((await fetch(userinfo, { headers: { authorization: `Bearer ${tampered}` } })).status).toBe(401);
  });
});

describe('refusals', () => {
  it('refuses a disabled login even with the right password', async () => {
    const email = 'disabled@customer.example';
    await createCustomer(email, 'acme-disabled');
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: portal.cognito.userPoolId, Username: email }));
    const client = new BrowserClient();
    const page = await signInCustomer(client, portal, email, TEMPORARY, STRONG);
    expect(page.status).toBe(403);
    expect(alertText(page)).toMatch(/disabled/);
    expect(client.cookies().has('PortalSession-0')).toBe(false);
  });

  it('refuses an unknown e-mail address with the same message as a wrong password', async () => {
    const page = await signInCustomer(new BrowserClient(), portal, 'nobody@customer.example', TEMPORARY);
    expect(page.status).toBe(401);
    expect(alertText(page)).toBe('Incorrect email or password.');
  });
});
