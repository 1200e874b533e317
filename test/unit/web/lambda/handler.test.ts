import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ALBEvent } from 'aws-lambda';
import { CUSTOMER_HTML, makeSite, removeSites } from './fixture.js';

afterAll(removeSites);

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

const event = (path: string): ALBEvent => ({
  requestContext: { elb: { targetGroupArn: 'arn:tg' } },
  httpMethod: 'GET',
  path,
  body: null,
  isBase64Encoded: false,
  multiValueHeaders: { 'accept-encoding': ['identity'] },
  multiValueQueryStringParameters: {},
});

describe('web handler', () => {
  it('reads its settings from the environment on the first call, not at import', async () => {
    const { handler } = await import('../../../../lambdas/web/handler.js');
    vi.stubEnv('WEB_ROOT', makeSite());
    vi.stubEnv('S3_ORIGINS', 'http://127.0.0.1:9000');
    vi.stubEnv('CUSTOMER_LOGOUT_URL', '');
    const page = await handler(event('/'));
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(CUSTOMER_HTML);
    expect(page.multiValueHeaders?.['content-security-policy']?.[0]).toContain("connect-src 'self' http://127.0.0.1:9000");
    const signout = await handler(event('/signout'));
    expect(signout.multiValueHeaders?.location).toEqual(['/signed-out']);
  });

  it('fails loudly on a bad configuration (a ConfigError at start-up; the ALB answers 502)', async () => {
    const { handler } = await import('../../../../lambdas/web/handler.js');
    vi.stubEnv('S3_ORIGINS', 'not an origin');
    await expect(handler(event('/'))).rejects.toThrow(/S3_ORIGINS/);
  });
});
