// Identity on every route: only a token the ALB signed (ES256, our ALB as signer, our client id and
// issuer, not expired) gets in; anything else is a 401 and never reaches S3 or a fallback folder.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { OTHER_ALB_ARN, TEST_ADMIN_IDP, TEST_CUSTOMER_IDP } from '../../support/alb-token.js';
import { useHarness, endpointRecord, createViaApi, NOW } from './harness.js';

const h = useHarness();

const routes: Array<[string, string, Record<string, string>?, unknown?]> = [
  ['POST', '/api/s3/multipart', undefined, { filename: 'a.pdf', type: 'application/pdf', metadata: { size: '1' } }],
  ['GET', '/api/s3/multipart/upload-1/1', { key: 'uploads/acme/a.pdf' }],
  ['GET', '/api/s3/multipart/upload-1/batch', { key: 'uploads/acme/a.pdf', partNumbers: '1,2' }],
  ['GET', '/api/s3/multipart/upload-1', { key: 'uploads/acme/a.pdf' }],
  ['POST', '/api/s3/multipart/upload-1/complete', { key: 'uploads/acme/a.pdf' }, { parts: [{ PartNumber: 1, ETag: '"x"' }] }],
  ['DELETE', '/api/s3/multipart/upload-1', { key: 'uploads/acme/a.pdf' }],
  ['GET', '/api/s3/params', { filename: 'a.pdf', type: 'application/pdf' }],
  ['GET', '/api/me'],
  ['GET', '/api/files'],
  ['GET', '/api/no-such-route'],
];

const badTokens: Array<[string, () => string]> = [
  ['missing', () => ''],
  ['malformed', () => 'not-a-jwt'],
  ['expired', () => h.identity.customerToken({ endpoint: 'acme' }, { expiresInSeconds: -120 })],
  ['forged (signed by another key)', () => h.identity.customerToken({ endpoint: 'acme' }, { privateKey: h.identity.forgeryKey })],
  ['wrong signer (another ALB)', () => h.identity.customerToken({ endpoint: 'acme' }, { signer: OTHER_ALB_ARN })],
  ['wrong issuer', () => h.identity.customerToken({ endpoint: 'acme' }, { issuer: 'https://evil.example.com' })],
  ['wrong client id', () => h.identity.customerToken({ endpoint: 'acme' }, { clientId: 'someone-else' })],
  ['admin issuer with the customer client id', () => h.identity.sign({ issuer: TEST_ADMIN_IDP.issuer, clientId: TEST_CUSTOMER_IDP.clientId, claims: { sub: 'x' } })],
  ['alg none', () => {
    const [, payload] = h.identity.customerToken({ endpoint: 'acme' }).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: h.identity.kid, signer: 'x' })).toString('base64url');
    return `${header}.${payload}.`;
  }],
  ['header alg HS256', () => h.identity.customerToken({ endpoint: 'acme' }, { alg: 'HS256' })],
  ['unknown kid', () => h.identity.customerToken({ endpoint: 'acme' }, { kid: '6f1c8d5e-8a1b-4c7e-9f0a-1b2c3d4e5f60' })],
  ['tampered payload', () => {
    const [header, , signature] = h.identity.customerToken({ endpoint: 'acme' }).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', iss: TEST_CUSTOMER_IDP.issuer, exp: 9999999999, 'custom:endpoint': 'globex' })).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }],
];

describe('identity', () => {
  for (const [name, token] of badTokens) {
    it(`answers 401 to a ${name} token on every route, without touching S3`, async () => {
      for (const [method, path, query, body] of routes) {
        const result = await h.call(method, path, { token: token(), query, body });
        expect(result.status, `${method} ${path}`).toBe(401);
        expect(result.body.error.code).toBe('unauthenticated');
      }
      expect(h.s3Mock.calls()).toHaveLength(0);
    });
  }

  it('accepts a valid customer token and reads the endpoint from custom:endpoint', async () => {
    const result = await h.call('GET', '/api/me', { token: h.customer('acme') });
    expect(result.status).toBe(200);
    expect(result.body.endpoint.name).toBe('acme');
    expect(result.body.user).toEqual({ email: 'customer@example.com', username: 'customer1', kind: 'customer' });
  });

  it('refuses a customer without custom:endpoint with 403 no_endpoint (never a default folder)', async () => {
    for (const [method, path, query, body] of routes.slice(0, -1)) {
      const result = await h.call(method, path, { token: h.customer(null), query, body });
      expect(result.status, `${method} ${path}`).toBe(403);
      expect(result.body.error.code).toBe('no_endpoint');
    }
    expect(h.s3Mock.calls()).toHaveLength(0);
  });

  it.each([
    ['disabled', { disabled: true }, 'endpoint_disabled'],
    ['expired', { expiresAt: new Date(NOW.getTime() - 1000).toISOString() }, 'endpoint_expired'],
  ])('refuses every protocol call for a %s endpoint with 403 %s', async (_label, overrides, code) => {
    h.bucket.putEndpoint(endpointRecord('initech', overrides));
    for (const [method, path, query, body] of routes.slice(0, -1)) {
      const q = query?.key ? { ...query, key: 'uploads/initech/a.pdf' } : query;
      const result = await h.call(method, path, { token: h.customer('initech'), query: q, body });
      expect(result.status, `${method} ${path}`).toBe(403);
      expect(result.body.error.code).toBe(code);
    }
  });

  it('refuses a customer whose endpoint record does not exist with 403 endpoint_unknown', async () => {
    const result = await h.call('GET', '/api/me', { token: h.customer('vanished') });
    expect(result).toMatchObject({ status: 403, body: { error: { code: 'endpoint_unknown' } } });
  });

  it('lets an endpoint that expires in the future be used, and refuses it once the clock passes expiry', async () => {
    h.bucket.putEndpoint(endpointRecord('soon', { expiresAt: new Date(NOW.getTime() + 60_000).toISOString() }));
    expect((await h.call('GET', '/api/me', { token: h.customer('soon') })).status).toBe(200);
    h.clock.now = new Date(NOW.getTime() + 60_000);
    try {
      expect((await h.call('GET', '/api/me', { token: h.customer('soon') })).body.error.code).toBe('endpoint_expired');
    } finally {
      h.clock.now = NOW;
    }
  });

  it('refuses an admin-IdP user who is not on the admin allow-list with 403 admin_not_allowed, before any S3 call', async () => {
    const outsider = h.identity.adminToken({ email: 'mallory@example.com' });
    for (const [method, path, query, body] of routes) {
      const q = { ...query, ...(path === '/api/files' || path === '/api/me' ? { endpoint: 'acme' } : {}) };
      const withEndpoint = method === 'POST' && path === '/api/s3/multipart' ? { ...(body as object), metadata: { size: '1', endpoint: 'acme' } } : body;
      const result = await h.call(method, path, { token: outsider, query: q, body: withEndpoint });
      expect(result.status, `${method} ${path}`).toBe(403);
      expect(result.body.error.code).toBe('admin_not_allowed');
    }
    expect(h.s3Mock.calls()).toHaveLength(0);
    // The listed admin still gets in.
    expect((await h.call('GET', '/api/me', { token: h.admin(), query: { endpoint: 'acme' } })).status).toBe(200);
  });

  it("refuses a customer whose login is no longer one of the endpoint's logins with 403 login_removed, on every call", async () => {
    h.bucket.putEndpoint(endpointRecord('removed', { logins: ['someone-else', 'customer10'] }));
    for (const [method, path, query, body] of routes.slice(0, -1)) {
      const q = query?.key ? { ...query, key: 'uploads/removed/a.pdf' } : query;
      const result = await h.call(method, path, { token: h.customer('removed'), query: q, body });
      expect(result.status, `${method} ${path}`).toBe(403);
      expect(result.body.error.code).toBe('login_removed');
    }
    expect(h.bucket.reservations().filter((r) => r.endpoint === 'removed')).toEqual([]);
  });

  it('matches the login case-insensitively (Cognito usernames are), and refuses an endpoint with no logins', async () => {
    h.bucket.putEndpoint(endpointRecord('cased', { logins: ['Customer1'] }));
    expect((await h.call('GET', '/api/me', { token: h.identity.customerToken({ endpoint: 'cased', username: 'CUSTOMER1' }) })).status).toBe(200);
    h.bucket.putEndpoint(endpointRecord('nobody', { logins: [] }));
    expect((await h.call('GET', '/api/me', { token: h.customer('nobody') })).body.error.code).toBe('login_removed');
  });

  it('re-reads a cached record before refusing a login it lacks: a login added a moment ago is let in at once', async () => {
    h.rebuild({ endpointCacheSeconds: 30 });
    try {
      h.bucket.putEndpoint(endpointRecord('growing', { logins: ['customer1'] }));
      expect((await h.call('GET', '/api/me', { token: h.customer('growing') })).status).toBe(200);
      h.bucket.putEndpoint(endpointRecord('growing', { logins: ['customer1', 'newcomer'] }));
      const newcomer = h.identity.customerToken({ endpoint: 'growing', username: 'newcomer' });
      expect((await h.call('GET', '/api/me', { token: newcomer })).status).toBe(200);
      // A listed login is served from the cache (no GET per request), a removed one is refused once read.
      h.s3Mock.resetHistory();
      expect((await h.call('GET', '/api/me', { token: h.customer('growing') })).status).toBe(200);
      expect(h.s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
      h.bucket.putEndpoint(endpointRecord('growing', { logins: ['newcomer'] }));
      h.clock.now = new Date(NOW.getTime() + 31_000);
      expect((await h.call('GET', '/api/me', { token: h.customer('growing') })).body.error.code).toBe('login_removed');
    } finally {
      h.clock.now = NOW;
      h.rebuild();
    }
  });

  it('serves a disabled endpoint, a removed login or a reset password from the cache for at most 30 s, and never to a completion', async () => {
    h.rebuild({ endpointCacheSeconds: 30 });
    try {
      h.bucket.putEndpoint(endpointRecord('revoked'));
      const token = h.customer('revoked');
      const created = await createViaApi(h, 'late.bin', 10, {}, token);
      expect(created.status).toBe(200);
      h.bucket.putEndpoint(endpointRecord('revoked', { disabled: true }));
      // Within the cache's life the API still answers; completion reads the record afresh and refuses.
      h.clock.now = new Date(NOW.getTime() + 29_000);
      expect((await h.call('GET', '/api/me', { token })).status).toBe(200);
      const complete = await h.call('POST', `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}/complete`, { token, query: { key: created.body.key }, body: { parts: [{ PartNumber: 1, ETag: '"a"' }] } });
      expect(complete).toMatchObject({ status: 403, body: { error: { code: 'endpoint_disabled' } } });
      // Completion refreshed the cache; either way, 30 s after the change every call is refused.
      h.clock.now = new Date(NOW.getTime() + 31_000);
      expect((await h.call('GET', '/api/me', { token })).body.error.code).toBe('endpoint_disabled');
      expect((await h.call('GET', '/api/s3/params', { token, query: { filename: 'x.txt', 'metadata[size]': '1' } })).body.error.code).toBe('endpoint_disabled');
    } finally {
      h.clock.now = NOW;
      h.rebuild();
    }
  });
});

