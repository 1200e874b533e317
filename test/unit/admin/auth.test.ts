// Only admin principals reach the admin API: on every route a customer's token is 403 and no token
// 401, before any AWS call, including for routes that do not exist (nothing is revealed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import type { ALBEvent } from 'aws-lambda';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createAdminApp } from '../../../lambdas/admin/app.js';
import { createAlbHandler } from '../../../lambdas/shared/alb-handler.js';
import { createIdentityVerifier } from '../../../lambdas/shared/identity.js';
import { AlbTestIdentity, OTHER_ALB_ARN } from '../../support/alb-token.js';
import { harness, SETTINGS, NOW } from './harness.js';

const key = 'uploads/acme/report.pdf';
const ROUTES: [method: string, path: string, query?: Record<string, string>, body?: unknown][] = [
  ['GET', '/admin/api/endpoints'],
  ['POST', '/admin/api/endpoints', {}, { name: 'acme', customerEmail: 'bob@acme.example' }],
  ['GET', '/admin/api/endpoints/acme'],
  ['PATCH', '/admin/api/endpoints/acme', {}, { disabled: true }],
  ['DELETE', '/admin/api/endpoints/acme'],
  ['DELETE', '/admin/api/endpoints/acme', {}, { purgeFiles: true, confirm: 'acme' }],
  ['POST', '/admin/api/endpoints/acme/logins', {}, { email: 'carol@acme.example' }],
  ['DELETE', '/admin/api/endpoints/acme/logins/bob%40acme.example'],
  ['POST', '/admin/api/endpoints/acme/logins/bob%40acme.example/reset-password', {}, {}],
  ['GET', '/admin/api/files', { endpoint: 'acme' }],
  ['GET', '/admin/api/files/download', { key }],
  ['POST', '/admin/api/files/share', {}, { key, expiresInSeconds: 3600 }],
  ['DELETE', '/admin/api/files', { key }],
  ['GET', '/admin/api/audit'],
  ['GET', '/admin/api/no-such-route'],
  ['PUT', '/admin/api/endpoints'],
];

describe('admin-only access (fake verifier)', () => {
  it.each(ROUTES)('%s %s: customer 403, none 401, bad token 401, and no AWS call', async (method, path, query, body) => {
    const h = harness();
    const customer = await h.call(method, path, { as: 'customer', query, body });
    expect(customer.status).toBe(403);
    expect(customer.body).toEqual({ error: { code: 'admin_only', message: 'This API is for portal administrators only' } });
    const none = await h.call(method, path, { as: 'none', query, body });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthenticated');
    const bad = await h.call(method, path, { query, body, headers: { 'x-amzn-oidc-data': 'forged' } });
    expect(bad.status).toBe(401);
    // Even a cross-site request from a customer is a 403 for being a customer, not for CSRF.
    const crossSite = await h.call(method, path, { as: 'customer', query, body, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.body.error.code).toBe('admin_only');
    expect(h.s3Mock.calls()).toHaveLength(0);
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });
});

describe('admin-only access (real ALB tokens, aws-jwt-verify)', () => {
  let identity: AlbTestIdentity;
  let handle: (event: ALBEvent) => Promise<{ statusCode: number; body?: string }>;
  let h: ReturnType<typeof harness>;

  beforeAll(async () => {
    identity = await AlbTestIdentity.start();
    h = harness();
    h.s3Mock.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: false });
    const logger = new Logger({ serviceName: 'admin-test', logLevel: 'SILENT' });
    const app = createAdminApp({ settings: SETTINGS, s3: h.s3, cognito: h.cognito, catalog: h.catalog, verifyIdentity: createIdentityVerifier(identity.settings()), logger, now: () => NOW });
    handle = createAlbHandler(logger, app);
  });
  afterAll(async () => identity.close());

  const event = (method: string, path: string, token: string | null, query: Record<string, string> = {}, body?: unknown): ALBEvent => ({
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/admin/1' } },
    httpMethod: method,
    path,
    queryStringParameters: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, encodeURIComponent(v)])),
    headers: {
      ...(token ? { 'x-amzn-oidc-data': token } : {}),
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/json',
      'x-forwarded-for': '198.51.100.7',
    },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
  });

  it.each(ROUTES)('%s %s: a verified customer token is 403', async (method, path, query, body) => {
    const token = identity.customerToken({ endpoint: 'acme' });
    const result = await handle(event(method, path, token, query, body));
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body!).error.code).toBe('admin_only');
  });

  it('answers a verified admin token', async () => {
    const result = await handle(event('GET', '/admin/api/endpoints', identity.adminToken()));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toEqual({ endpoints: [], nextToken: null });
  });

  it.each(ROUTES)('%s %s: a verified admin-IdP token for an e-mail not on the allow-list is 403 admin_not_allowed, before any AWS call', async (method, path, query, body) => {
    h.s3Mock.resetHistory();
    h.cognitoMock.resetHistory();
    const token = identity.adminToken({ email: 'intern@example.com', name: 'Not An Admin' });
    const result = await handle(event(method, path, token, query, body));
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body!).error.code).toBe('admin_not_allowed');
    expect(h.s3Mock.calls()).toHaveLength(0);
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });

  it('lets in a listed admin whatever the case of the e-mail, and nobody when the list is empty', async () => {
    expect((await handle(event('GET', '/admin/api/endpoints', identity.adminToken({ email: 'ADMIN@Example.com' })))).statusCode).toBe(200);
    const logger = new Logger({ serviceName: 'admin-test', logLevel: 'SILENT' });
    const locked = createAlbHandler(logger, createAdminApp({ settings: SETTINGS, s3: h.s3, cognito: h.cognito, catalog: h.catalog, verifyIdentity: createIdentityVerifier(identity.settings('')), logger, now: () => NOW }));
    const result = await locked(event('GET', '/admin/api/endpoints', identity.adminToken()));
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body!).error.code).toBe('admin_not_allowed');
  });

  it.each([
    ['expired', () => identity.adminToken({}, { expiresInSeconds: -60 })],
    ['forged', () => identity.adminToken({}, { privateKey: identity.forgeryKey })],
    ['signed for another load balancer', () => identity.adminToken({}, { signer: OTHER_ALB_ARN })],
    ['from an unknown issuer', () => identity.sign({ issuer: 'https://evil.example', clientId: 'test-admin-client', claims: { sub: 'x' } })],
    ['missing', () => null],
  ])('refuses an admin token that is %s with 401', async (_case, token) => {
    const result = await handle(event('GET', '/admin/api/endpoints', token()));
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body!).error.code).toBe('unauthenticated');
  });
});
