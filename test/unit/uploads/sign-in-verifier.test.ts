// The access-token check behind session revocation: which tokens prove a sign-in time, which prove
// none, and that nothing is fetched before the first question. Keys come from the test identity's
// loopback JWKS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerPrincipal } from '../../../lambdas/shared/identity.js';
import { createSignInVerifier } from '../../../lambdas/uploads/sign-in-verifier.js';
import { AlbTestIdentity, TEST_CUSTOMER_IDP } from '../../support/alb-token.js';

let identity: AlbTestIdentity;
beforeAll(async () => {
  identity = await AlbTestIdentity.start();
});
afterAll(() => identity?.close());

const principal = (accessToken: string | null, subject = 'customer-sub-1'): CustomerPrincipal => ({ kind: 'customer', subject, username: 'customer1', email: 'e', endpoint: 'acme', accessToken });
const SIGNED_IN = 1_796_000_000;

describe('createSignInVerifier', () => {
  it('fetches no keys until a sign-in time is asked for, then proves it with the access token', async () => {
    const before = identity.jwksRequests;
    const verifier = createSignInVerifier(identity.settings().customer);
    expect(identity.jwksRequests).toBe(before);
    expect(await verifier.verifiedSignInTime(principal(identity.accessToken({ authTime: SIGNED_IN })))).toBe(SIGNED_IN);
    expect(identity.jwksRequests).toBe(before + 1);
  });

  it.each([
    ['no access token', () => null],
    ['not a JWT', () => 'opaque-access-token'],
    ['a forged signature', () => identity.accessToken({ authTime: SIGNED_IN, privateKey: identity.accessTokenForgeryKey })],
    ['another app client', () => identity.accessToken({ authTime: SIGNED_IN, clientId: 'other-client' })],
    ['an id token', () => identity.accessToken({ authTime: SIGNED_IN, tokenUse: 'id' })],
    ['another issuer', () => identity.accessToken({ authTime: SIGNED_IN, issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' })],
    ['an expired token', () => identity.accessToken({ authTime: SIGNED_IN, expiresInSeconds: -600 })],
    ['no auth_time', () => identity.accessToken({ claims: { auth_time: undefined } })],
    ['a string auth_time', () => identity.accessToken({ authTime: String(SIGNED_IN) })],
  ])('proves nothing with %s', async (_label, token) => {
    const verifier = createSignInVerifier(identity.settings().customer);
    expect(await verifier.verifiedSignInTime(principal(token()))).toBeNull();
  });

  it("proves nothing with another user's valid token", async () => {
    const verifier = createSignInVerifier(identity.settings().customer);
    const token = identity.accessToken({ authTime: SIGNED_IN, sub: 'someone-else' });
    expect(await verifier.verifiedSignInTime(principal(token))).toBeNull();
    expect(await verifier.verifiedSignInTime(principal(token, 'someone-else'))).toBe(SIGNED_IN);
  });

  it('fails (a server error, not a verdict) when the keys cannot be fetched', async () => {
    const verifier = createSignInVerifier({ ...TEST_CUSTOMER_IDP, jwksUri: `${identity.keysUrl}/no-such-jwks.json` });
    await expect(verifier.verifiedSignInTime(principal(identity.accessToken({ authTime: SIGNED_IN })))).rejects.toThrow(/404/);
  });

  it('refuses plain-http keys outside loopback at creation', () => {
    expect(() => createSignInVerifier({ ...TEST_CUSTOMER_IDP, jwksUri: 'http://keys.example.com/.well-known/jwks.json' })).toThrow(/must be https/);
  });
});
