// The local gateway as an ALB, with the real IdPs and cognito-local behind it and stub Lambda
// targets that echo what they receive: route table, deny/authenticate, identity headers that the
// Lambdas' own verifier accepts, stripping of forged headers, the 1 MB limit.
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLambdaEnv } from '../../../contract/lambda-env.js';
import { createIdentityVerifier, identitySettings } from '../../../lambdas/shared/identity.js';
import { BrowserClient, headersOf, signInAdmin, startTestPortal, type TestPortal } from '../../support/local-portal.js';

const seen: { target: string; event: ALBEvent }[] = [];
const echo = (target: string) => async (event: ALBEvent): Promise<ALBResult> => {
  seen.push({ target, event });
  return {
    statusCode: 200,
    multiValueHeaders: { 'content-type': ['application/json'], 'set-cookie': ['one=1; Path=/', 'two=2; Path=/'] },
    body: JSON.stringify({ target, path: event.path, query: event.multiValueQueryStringParameters, headers: event.multiValueHeaders }),
    isBase64Encoded: false,
  };
};
const lastEvent = () => seen[seen.length - 1]!.event;
const header = (event: ALBEvent, name: string) => event.multiValueHeaders?.[name]?.[0];

let portal: TestPortal;

beforeAll(async () => {
  portal = await startTestPortal({ handlers: { web: echo('web'), uploads: echo('uploads'), admin: echo('admin') } });
});
afterAll(() => portal?.stop());

describe('route table', () => {
  it('answers /healthz itself, as the ALB\'s fixed response, without invoking any Lambda', async () => {
    const before = seen.length;
    const response = await fetch(`${portal.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(seen.length).toBe(before);
  });

  it('serves public paths without a session, with ALB forwarding headers and both Set-Cookie values', async () => {
    const response = await fetch(`${portal.url}/public/x?a=%20b`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual(['one=1; Path=/', 'two=2; Path=/']);
    const body = (await response.json()) as { target: string; query: unknown };
    expect(body).toMatchObject({ target: 'web', query: { a: ['%20b'] } });
    const event = lastEvent();
    expect(header(event, 'x-forwarded-for')).toBe('203.0.113.9, 127.0.0.1');
    expect(header(event, 'x-forwarded-proto')).toBe('http');
    expect(header(event, 'x-forwarded-port')).toBe(new URL(portal.url).port);
    expect(event.requestContext.elb.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:.*:targetgroup\/local-portal-web\//);
  });

  it('answers 401 on the APIs without a session (deny), and never reaches the Lambda', async () => {
    const before = seen.length;
    for (const path of ['/api/me', '/api/s3/multipart', '/admin/api/endpoints']) {
      const response = await fetch(`${portal.url}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(401);
    }
    // An admin-looking cookie without a valid session is still denied.
    const forged = await fetch(`${portal.url}/api/me`, { headers: { cookie: 'PortalAdminSession-0=forged' } });
    expect(forged.status).toBe(401);
    expect(seen.length).toBe(before);
  });

  it('redirects pages to the matching IdP (authenticate) with a sign-in state cookie', async () => {
    const admin = await fetch(`${portal.url}/admin/endpoints?x=1`, { redirect: 'manual' });
    expect(admin.status).toBe(302);
    const location = new URL(admin.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${portal.idps.admin.issuer}/auth`);
    expect(location.searchParams.get('client_id')).toBe(portal.idps.admin.clientId);
    expect(location.searchParams.get('redirect_uri')).toBe(`${portal.url}/oauth2/idpresponse`);
    expect(location.searchParams.get('scope')).toBe('openid email profile');
    expect(admin.headers.getSetCookie()[0]).toMatch(/^PortalAuthState-admin=.*Path=\/oauth2\/idpresponse/);

    const customer = await fetch(`${portal.url}/`, { redirect: 'manual' });
    expect(customer.status).toBe(302);
    expect(customer.headers.get('location')).toContain(`${portal.idps.customer.issuer}/auth?`);
    expect(new URL(customer.headers.get('location')!).searchParams.get('client_id')).toBe(portal.cognito.clientId);
  });

  it('answers the default 404 when no rule matches, and 401 for a callback without a pending sign-in', async () => {
    for (const path of ['/nothing', '/API/me', '/.env', '/admin-x']) expect((await fetch(`${portal.url}${path}`)).status, path).toBe(404);
    expect((await fetch(`${portal.url}/oauth2/idpresponse?code=x&state=y`)).status).toBe(401);
  });

  it('strips x-amzn-oidc-* headers sent by the client', async () => {
    await fetch(`${portal.url}/public/x`, { headers: { 'x-amzn-oidc-data': 'forged', 'X-Amzn-Oidc-Identity': 'someone', 'x-amzn-oidc-accesstoken': 't' } });
    const names = Object.keys(lastEvent().multiValueHeaders ?? {});
    expect(names.filter((n) => n.startsWith('x-amzn-oidc-'))).toEqual([]);
  });

  it('refuses request bodies over 1 MB with 413, and passes binary bodies base64-encoded', async () => {
    const big = await fetch(`${portal.url}/public/x`, { method: 'POST', body: new Uint8Array(1_000_001) });
    expect(big.status).toBe(413);
    // Without a Content-Length (chunked) too.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 11; i += 1) controller.enqueue(new Uint8Array(100_000));
        controller.close();
      },
    });
    const chunked = await fetch(`${portal.url}/public/x`, { method: 'POST', body: stream, duplex: 'half' });
    expect(chunked.status).toBe(413);
    const small = await fetch(`${portal.url}/public/x`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([0, 255]) });
    expect(small.status).toBe(200);
    expect(lastEvent()).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
  });
});

describe('admin sign-in (authorization-code flow)', () => {
  const client = new BrowserClient();

  it('refuses a wrong password on the admin IdP page', async () => {
    const page = await signInAdmin(client, portal, '/admin', { email: portal.adminCredentials.email, password: 'wrong' });
    expect(page.status).toBe(401);
    expect(page.url.startsWith(portal.idps.admin.issuer)).toBe(true);
    expect(page.body).toContain('Incorrect email or password.');
    expect(page.body).not.toMatch(/<script/i);
  });

  it('signs in, lands back on the page asked for, and the Lambdas verify the identity header', async () => {
    const page = await signInAdmin(client, portal, '/admin/endpoints?tab=1');
    expect(page.status).toBe(200);
    expect(page.url).toBe(`${portal.url}/admin/endpoints?tab=1`);
    expect(client.cookies().has('PortalAdminSession-0')).toBe(true);

    const api = await client.fetch(`${portal.url}/admin/api/endpoints`);
    expect(api.status).toBe(200);
    const event = lastEvent();
    const verify = createIdentityVerifier(identitySettings(parseLambdaEnv('uploads', portal.env)));
    const headers = headersOf(event);
    await expect(verify(headers)).resolves.toMatchObject({ kind: 'admin', email: portal.adminCredentials.email });
    const [jwtHeader, jwtPayload] = headers['x-amzn-oidc-data']!.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(jwtHeader).toMatchObject({ alg: 'ES256', signer: portal.env.ALB_ARN, iss: portal.idps.admin.issuer, client: portal.idps.admin.clientId });
    expect(jwtPayload).toMatchObject({ iss: portal.idps.admin.issuer, email: portal.adminCredentials.email, sub: headers['x-amzn-oidc-identity'] });
    expect(headers['x-amzn-oidc-accesstoken']).toBeTruthy();
  });

  it('routes /api/* with the admin session cookie to the uploads target as the admin', async () => {
    const response = await client.fetch(`${portal.url}/api/me`);
    expect(response.status).toBe(200);
    expect(seen[seen.length - 1]!.target).toBe('uploads');
    expect(JSON.parse(Buffer.from(header(lastEvent(), 'x-amzn-oidc-data')!.split('.')[1]!, 'base64url').toString()).iss).toBe(portal.idps.admin.issuer);
  });

  it('does not accept the admin session as a customer session', async () => {
    const adminSession = client.cookies().get('PortalAdminSession-0')!;
    const response = await fetch(`${portal.url}/`, { headers: { cookie: `PortalSession-0=${adminSession}` }, redirect: 'manual' });
    expect(response.status).toBe(302);
  });

  it('signs out at the IdP (end_session) and returns to /signed-out', async () => {
    // While the IdP session lives, a lost portal session comes back without a form (single sign-on).
    client.deleteCookie('localhost', 'PortalAdminSession-0');
    expect((await client.navigate(`${portal.url}/admin`)).url).toBe(`${portal.url}/admin`);

    const confirm = await client.navigate(portal.env.ADMIN_LOGOUT_URL!);
    expect(confirm.body).toContain('Sign out');
    const done = await client.submitForm(confirm, { logout: 'yes' }, /session\/end\/confirm/);
    expect(done.url).toBe(`${portal.url}/signed-out`);

    client.deleteCookie('localhost', 'PortalAdminSession-0');
    const again = await client.navigate(`${portal.url}/admin`);
    expect(again.url.startsWith(`${portal.idps.admin.issuer}/interaction/`)).toBe(true);
    expect(again.body).toContain('<label for="password">Password</label>');
  });
});
