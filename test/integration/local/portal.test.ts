// The whole local portal with the real Lambda handlers: an admin signs in and creates an endpoint,
// its customer signs in with the temporary password and a new one, and after a restart on the same
// ports and data folder everything (endpoint, login, sessions) is still there.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserClient, portsOf, signInAdmin, signInCustomer, startTestPortal, type TestPortal } from '../../support/local-portal.js';

let dataDir: string;
let portal: TestPortal;
const admin = new BrowserClient();
const customer = new BrowserClient();
const NEW_PASSWORD = 'Local-Portal-Test-9!';
let login: { username: string; temporaryPassword: string };

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: new URL(portal.url).origin },
  body: JSON.stringify(body),
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-portal-'));
  portal = await startTestPortal({ dataDir });
});
afterAll(async () => {
  await portal?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('local portal with the real handlers', () => {
  it('answers /healthz at the gateway and serves the signed-out page from the web Lambda', async () => {
    expect((await fetch(`${portal.url}/healthz`)).status).toBe(200);
    const signedOut = await fetch(`${portal.url}/signed-out`);
    expect(signedOut.status).toBe(200);
    expect(signedOut.headers.get('content-security-policy')).toContain("default-src");
  });

  it('lets the dev admin sign in and call the admin API', async () => {
    await signInAdmin(admin, portal);
    expect(admin.cookies().has('PortalAdminSession-0')).toBe(true);
    const response = await admin.fetch(`${portal.url}/admin/api/endpoints`);
    expect(response.status).toBe(200);
  });

  it('creates an endpoint whose customer signs in through the hosted UI and sees it in /api/me', async () => {
    const created = await admin.fetch(`${portal.url}/admin/api/endpoints`, json({ name: 'acme-local', customerEmail: 'ops@acme.example' }));
    const body = (await created.json()) as { login: { username: string; temporaryPassword: string; portalUrl: string } };
    expect(created.status, JSON.stringify(body)).toBe(201);
    login = body.login;
    expect(body.login.portalUrl.startsWith(portal.url)).toBe(true);

    const page = await signInCustomer(customer, portal, 'ops@acme.example', login.temporaryPassword, NEW_PASSWORD, '/');
    expect(customer.cookies().has('PortalSession-0'), page.body.slice(0, 300)).toBe(true);
    const me = await customer.fetch(`${portal.url}/api/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { email: 'ops@acme.example', kind: 'customer' }, endpoint: { name: 'acme-local' } });
  });

  it('lets the portal origin upload to the local S3 server (bucket CORS)', async () => {
    const preflight = await fetch(`${portal.s3Url}/${portal.bucket}/uploads/acme-local/x?partNumber=1&uploadId=u`, {
      method: 'OPTIONS',
      headers: { origin: new URL(portal.url).origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(new URL(portal.url).origin);
    const foreign = await fetch(`${portal.s3Url}/${portal.bucket}/x`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'PUT' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps endpoints, logins and sessions across a restart on the same ports and data folder', async () => {
    const ports = portsOf(portal);
    const before = { pool: portal.cognito.userPoolId, password: portal.adminCredentials.password };
    await portal.close();
    portal = await startTestPortal({ dataDir, ...ports });
    expect({ pool: portal.cognito.userPoolId, password: portal.adminCredentials.password }).toEqual(before);

    // Sealed with the saved key: both browsers are still signed in.
    const endpoints = await admin.fetch(`${portal.url}/admin/api/endpoints`);
    expect(endpoints.status).toBe(200);
    expect(JSON.stringify(await endpoints.json())).toContain('acme-local');
    expect((await customer.fetch(`${portal.url}/api/me`)).status).toBe(200);

    // cognito-local kept the login and its new password.
    const fresh = new BrowserClient();
    await signInCustomer(fresh, portal, 'ops@acme.example', NEW_PASSWORD);
    expect(fresh.cookies().has('PortalSession-0')).toBe(true);
  });

  it('signs out through the web Lambda and the IdPs logout endpoints, back to /signed-out', async () => {
    const customerOut = await customer.navigate(`${portal.url}/signout`);
    expect(customerOut.url).toBe(`${portal.url}/signed-out`);
    expect(customer.cookies().has('PortalSession-0')).toBe(false);
    // The hosted UI's session ended too: the next visit asks for the password.
    expect((await customer.navigate(`${portal.url}/`)).body).toContain('<label for="password">Password</label>');

    const confirm = await admin.navigate(`${portal.url}/admin/signout`);
    expect(admin.cookies().has('PortalAdminSession-0')).toBe(false);
    const adminOut = await admin.submitForm(confirm, { logout: 'yes' }, /session\/end\/confirm/);
    expect(adminOut.url).toBe(`${portal.url}/signed-out`);
  });
});
