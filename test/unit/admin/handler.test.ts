// The Lambda entry point builds its dependencies from process.env on the first call (so the local
// gateway can set the environment before importing it) and answers through the ALB adapter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ALBEvent } from 'aws-lambda';
import { AlbTestIdentity, TEST_ADMIN_IDP, TEST_ALB_ARN, TEST_CUSTOMER_IDP } from '../../support/alb-token.js';

const ENV = {
  BUCKET_NAME: 'portal-bucket',
  CATALOG_TABLE: 'portal-catalog',
  PORTAL_URL: 'https://portal.example.com',
  USER_POOL_ID: 'eu-west-1_TESTPOOL',
  ALB_ARN: TEST_ALB_ARN,
  CUSTOMER_ISSUER: TEST_CUSTOMER_IDP.issuer,
  CUSTOMER_CLIENT_ID: TEST_CUSTOMER_IDP.clientId,
  ADMIN_ISSUER: TEST_ADMIN_IDP.issuer,
  ADMIN_CLIENT_ID: TEST_ADMIN_IDP.clientId,
  ADMIN_ALLOWED_EMAILS: 'boss@example.com',
  AWS_REGION: 'eu-west-1',
  LOG_LEVEL: 'SILENT',
};

describe('handler', () => {
  let identity: AlbTestIdentity;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    identity = await AlbTestIdentity.start();
    for (const [k, v] of Object.entries({ ...ENV, ALB_KEYS_URL: identity.keysUrl })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await identity.close();
  });

  const event = (headers: Record<string, string>): ALBEvent => ({
    requestContext: { elb: { targetGroupArn: 'arn:tg' } },
    httpMethod: 'GET',
    path: '/admin/api/endpoints',
    headers,
    body: null,
    isBase64Encoded: false,
  });

  it('answers 401 without a token and 403 for a customer, as JSON errors', async () => {
    const { handler } = await import('../../../lambdas/admin/handler.js');
    const none = await handler(event({}));
    expect(none.statusCode).toBe(401);
    expect(JSON.parse(none.body!)).toEqual({ error: { code: 'unauthenticated', message: 'Missing identity token' } });
    const customer = await handler(event({ 'x-amzn-oidc-data': identity.customerToken({ endpoint: 'acme' }) }));
    expect(customer.statusCode).toBe(403);
    expect(JSON.parse(customer.body!).error.code).toBe('admin_only');
  });

  it('reads ADMIN_ALLOWED_EMAILS: an admin-IdP user not on it is 403 admin_not_allowed', async () => {
    const { handler } = await import('../../../lambdas/admin/handler.js');
    const outsider = await handler(event({ 'x-amzn-oidc-data': identity.adminToken({ email: 'admin@example.com' }), 'sec-fetch-site': 'same-origin' }));
    expect(outsider.statusCode).toBe(403);
    expect(JSON.parse(outsider.body!).error.code).toBe('admin_not_allowed');
  });
});
