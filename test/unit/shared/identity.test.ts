// The admin allow-list where the admin principal is built: a verified admin-IdP token whose e-mail is
// not allowed is a 403 `admin_not_allowed` (for every Lambda using the verifier); customers are not
// affected; the list comes from ADMIN_ALLOWED_EMAILS and is fail-closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalOfAsync, type Refusal } from '../../support/portal-error.js';
import { IDENTITY_ENV, readEnv } from '../../../contract/lambda-env.js';
import { createIdentityVerifier, identitySettings, isCognitoIssuer, type Principal } from '../../../lambdas/shared/identity.js';
import { AlbTestIdentity, TEST_ADMIN_IDP, TEST_ALB_ARN, TEST_CUSTOMER_IDP } from '../../support/alb-token.js';

let identity: AlbTestIdentity;
beforeAll(async () => {
  identity = await AlbTestIdentity.start();
});
afterAll(() => identity.close());

const header = (token: string) => ({ 'x-amzn-oidc-data': token });

/** The principal, or the refusal's status and code. */
async function verify(allowList: string, token: string): Promise<Principal | Refusal> {
  let principal: Principal | undefined;
  const refused = await refusalOfAsync(async () => {
    principal = await createIdentityVerifier(identity.settings(allowList))(header(token));
  });
  return refused ?? principal!;
}

describe('admin allow-list in createIdentityVerifier', () => {
  it('admits a listed address, whatever its case', async () => {
    const principal = await verify('Alice@Corp.example', identity.adminToken({ email: 'alice@CORP.example', name: 'Alice' }));
    expect(principal).toEqual({ kind: 'admin', subject: 'admin-sub-1', email: 'alice@CORP.example', name: 'Alice' });
  });

  it('admits anyone of a listed @domain, and no one of another or a sub-domain', async () => {
    expect(await verify('@corp.example', identity.adminToken({ email: 'zoe@corp.example' }))).toMatchObject({ kind: 'admin' });
    expect(await verify('@corp.example', identity.adminToken({ email: 'zoe@eu.corp.example' }))).toMatchObject({ status: 403, code: 'admin_not_allowed' });
    expect(await verify('@corp.example', identity.adminToken({ email: 'zoe@corp.example.evil.example' }))).toMatchObject({ status: 403, code: 'admin_not_allowed' });
  });

  it('refuses a verified admin token whose e-mail is not listed with 403 admin_not_allowed', async () => {
    const refused = await verify('alice@corp.example,@partner.example', identity.adminToken({ email: 'mallory@corp.example' }));
    expect(refused).toEqual({ status: 403, code: 'admin_not_allowed', message: "Your account is not on this portal's list of administrators" });
  });

  it('refuses an admin token without an e-mail, or whose IdP marks the e-mail unverified', async () => {
    expect(await verify('alice@corp.example', identity.sign({ ...TEST_ADMIN_IDP, claims: { sub: 'no-mail' } }))).toMatchObject({ code: 'admin_not_allowed' });
    for (const verified of [false, 'false']) {
      const token = identity.adminToken({ email: 'alice@corp.example' }, { claims: { email_verified: verified } });
      expect(await verify('alice@corp.example', token)).toMatchObject({ status: 403, code: 'admin_not_allowed' });
    }
    const token = identity.adminToken({ email: 'alice@corp.example' }, { claims: { email_verified: true } });
    expect(await verify('alice@corp.example', token)).toMatchObject({ kind: 'admin' });
  });

  it('treats a missing or non-boolean email_verified as unverified (the string "true" too, from an IdP other than Cognito), unless the deployment says its IdP never sends it', async () => {
    for (const verified of [undefined, 1, 'yes', 'TRUE', 'true', null, {}]) {
      const token = identity.adminToken({ email: 'alice@corp.example' }, { claims: { email_verified: verified } });
      expect(await verify('alice@corp.example', token), String(JSON.stringify(verified))).toMatchObject({ status: 403, code: 'admin_not_allowed' });
    }
    // ADMIN_REQUIRE_EMAIL_VERIFIED=false (Entra ID sends no claim): absent passes, an explicit false still does not.
    const lenient = (token: string) => createIdentityVerifier(identity.settings('alice@corp.example', false))(header(token));
    await expect(lenient(identity.adminToken({ email: 'alice@corp.example' }, { claims: { email_verified: undefined } }))).resolves.toMatchObject({ kind: 'admin' });
    await expect(lenient(identity.adminToken({ email: 'alice@corp.example' }, { claims: { email_verified: false } }))).rejects.toMatchObject({ code: 'admin_not_allowed' });
  });

  it('takes the string "true" (exactly) from a Cognito admin pool, whose userinfo writes the claim as a string', async () => {
    const pool = { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AdminPool', clientId: 'admin-pool-client' };
    const settings = { ...identity.settings('alice@corp.example'), admin: pool };
    const fromPool = (verified: unknown) => identity.sign({ ...pool, claims: { sub: 'pool-admin', email: 'alice@corp.example', email_verified: verified } });
    const refusal = async (token: string) => refusalOfAsync(() => createIdentityVerifier(settings)(header(token)));
    expect(await refusal(fromPool('true'))).toBeUndefined();
    expect(await refusal(fromPool(true))).toBeUndefined();
    for (const verified of ['false', 'True', 'TRUE', ' true', 1, undefined]) {
      expect(await refusal(fromPool(verified)), String(JSON.stringify(verified))).toMatchObject({ status: 403, code: 'admin_not_allowed' });
    }
  });

  it('knows a Cognito user pool issuer from any other', () => {
    expect(isCognitoIssuer('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123')).toBe(true);
    expect(isCognitoIssuer('https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_AbC123')).toBe(true);
    for (const issuer of ['https://login.example.com/tenant/v2.0', 'https://cognito-idp.eu-west-1.amazonaws.com.evil.example/eu-west-1_AbC123', 'http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123', 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/x']) {
      expect(isCognitoIssuer(issuer), issuer).toBe(false);
    }
  });

  it('compares addresses as ASCII only: a look-alike that full Unicode lower-casing maps onto a listed address is refused', async () => {
    // U+212A KELVIN SIGN lower-cases to "k"; U+0130 (I with dot) and fullwidth letters fold under NFKC.
    for (const email of ['\u212Aelly@corp.example', 'kelly@corp.exampl\u0435', '\uFF4Belly@corp.example', 'KELLY@CORP.EXAMPLE\u200B']) {
      expect(await verify('kelly@corp.example', identity.adminToken({ email })), email).toMatchObject({ status: 403, code: 'admin_not_allowed' });
    }
    expect(await verify('kelly@corp.example', identity.adminToken({ email: 'KELLY@corp.example' }))).toMatchObject({ kind: 'admin' });
  });

  it('with an empty list refuses every admin (fail-closed) and says that no admins are configured', async () => {
    const refused = await verify('', identity.adminToken());
    expect(refused).toMatchObject({ status: 403, code: 'admin_not_allowed', message: expect.stringMatching(/No portal administrators are configured/) });
  });

  it('with * admits everyone the admin IdP signs in (the explicit opt-out)', async () => {
    expect(await verify('*', identity.adminToken({ email: 'anyone@anywhere.example' }))).toMatchObject({ kind: 'admin', email: 'anyone@anywhere.example' });
  });

  it('does not apply to customers', async () => {
    const principal = await verify('', identity.customerToken({ endpoint: 'acme', email: 'x@not-listed.example' }));
    expect(principal).toMatchObject({ kind: 'customer', endpoint: 'acme', username: 'customer1' });
  });

  it("carries the customer's access token as the ALB sent it (verified later, only when needed), and null without one", async () => {
    const verifier = createIdentityVerifier(identity.settings());
    const token = identity.customerToken({ endpoint: 'acme' });
    expect(await verifier({ ...header(token), 'x-amzn-oidc-accesstoken': 'not-even-a-jwt' })).toMatchObject({ kind: 'customer', accessToken: 'not-even-a-jwt' });
    expect(await verifier(header(token))).toMatchObject({ kind: 'customer', accessToken: null });
  });

  it('still answers 401 first for a token that does not verify', async () => {
    expect(await verify('admin@example.com', identity.adminToken({}, { expiresInSeconds: -60 }))).toMatchObject({ status: 401, code: 'unauthenticated' });
  });
});

const identitySettingsFromEnv = (env: Record<string, string>) => identitySettings(readEnv('uploads', IDENTITY_ENV, env));

describe('identitySettings: ADMIN_ALLOWED_EMAILS', () => {
  const base = {
    ALB_ARN: TEST_ALB_ARN,
    CUSTOMER_ISSUER: TEST_CUSTOMER_IDP.issuer,
    CUSTOMER_CLIENT_ID: TEST_CUSTOMER_IDP.clientId,
    ADMIN_ISSUER: TEST_ADMIN_IDP.issuer,
    ADMIN_CLIENT_ID: TEST_ADMIN_IDP.clientId,
  };

  it('reads the list', () => {
    const { adminAllowList } = identitySettingsFromEnv({ ...base, ADMIN_ALLOWED_EMAILS: 'alice@corp.example,@partner.example' });
    expect(adminAllowList).toMatchObject({ everyone: false, emails: new Set(['alice@corp.example']), domains: new Set(['partner.example']) });
    expect(identitySettingsFromEnv({ ...base, ADMIN_ALLOWED_EMAILS: '*' }).adminAllowList.everyone).toBe(true);
  });

  it('treats unset and empty as nobody, not as everyone', () => {
    for (const env of [base, { ...base, ADMIN_ALLOWED_EMAILS: '' }]) {
      const { adminAllowList } = identitySettingsFromEnv(env);
      expect(adminAllowList.everyone).toBe(false);
      expect(adminAllowList.emails.size + adminAllowList.domains.size).toBe(0);
    }
  });

  it("names the customer pool's keys after its issuer, where Cognito serves them", () => {
    expect(identitySettingsFromEnv(base).customer).toEqual({ ...TEST_CUSTOMER_IDP, jwksUri: `${TEST_CUSTOMER_IDP.issuer}/.well-known/jwks.json` });
  });

  it('throws a clear error for a malformed list', () => {
    expect(() => identitySettingsFromEnv({ ...base, ADMIN_ALLOWED_EMAILS: 'alice' })).toThrow(/ADMIN_ALLOWED_EMAILS.*"alice"/);
  });
});
