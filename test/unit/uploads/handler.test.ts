// The Lambda entry point as the ALB calls it: environment-built dependencies, ALB event quirks
// (encoded query values, body limit), error hiding, and metrics published as EMF once per request.
import { CreateMultipartUploadCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { ALBEvent } from 'aws-lambda';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUploadsHandler } from '../../../lambdas/uploads/handler.js';
import { AlbTestIdentity, TEST_ADMIN_IDP, TEST_ALB_ARN, TEST_CUSTOMER_IDP } from '../../support/alb-token.js';
import { FakeBucket, s3Error } from './fake-bucket.js';
import { BUCKET, endpointRecord, stubAwsEnv } from './harness.js';

let identity: AlbTestIdentity;
let s3Mock: AwsClientStub<S3Client>;
let bucket: FakeBucket;
/** The catalog (quota holds, usage): an empty table that accepts every write. */
let ddbMock: AwsClientStub<DynamoDBClient>;

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ALB_ARN: TEST_ALB_ARN,
    ALB_KEYS_URL: identity.keysUrl,
    CUSTOMER_ISSUER: TEST_CUSTOMER_IDP.issuer,
    CUSTOMER_CLIENT_ID: TEST_CUSTOMER_IDP.clientId,
    ADMIN_ISSUER: TEST_ADMIN_IDP.issuer,
    ADMIN_CLIENT_ID: TEST_ADMIN_IDP.clientId,
    BUCKET_NAME: BUCKET,
    CATALOG_TABLE: 'portal-catalog',
    AWS_REGION: 'eu-west-1',
    POWERTOOLS_METRICS_NAMESPACE: 'PortalTest',
    POWERTOOLS_SERVICE_NAME: 'uploads',
    ...extra,
  };
}

function albEvent(method: string, path: string, options: { token?: string; query?: Record<string, string>; body?: string; contentType?: string } = {}): ALBEvent {
  return {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/uploads/0123456789abcdef' } },
    httpMethod: method,
    path,
    // The ALB passes query values still URL-encoded.
    queryStringParameters: Object.fromEntries(Object.entries(options.query ?? {}).map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)])),
    headers: {
      host: 'portal.example.com',
      'x-forwarded-for': '198.51.100.7',
      ...(options.token ? { 'x-amzn-oidc-data': options.token } : {}),
      ...(options.body !== undefined ? { 'content-type': options.contentType ?? 'application/json' } : {}),
    },
    body: options.body ?? '',
    isBase64Encoded: false,
  };
}

/** Runs `fn` with stdout captured; returns what was written. Keeps EMF lines out of the test output. */
async function captureStdout(fn: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

beforeAll(async () => {
  stubAwsEnv();
  vi.stubEnv('LOG_LEVEL', 'SILENT');
  identity = await AlbTestIdentity.start();
  s3Mock = mockClient(S3Client);
  bucket = new FakeBucket();
  bucket.install(s3Mock);
  bucket.putEndpoint(endpointRecord('acme'));
  ddbMock = mockClient(DynamoDBClient);
  ddbMock.on(GetItemCommand).resolves({});
  ddbMock.on(QueryCommand).resolves({ Items: [] });
});
afterAll(async () => {
  ddbMock.restore();
  s3Mock.restore();
  vi.unstubAllEnvs();
  await identity.close();
});
afterEach(() => bucket.install(s3Mock));

describe('uploads handler', () => {
  it('answers an ALB event, decoding encoded query values', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const handler = createUploadsHandler(env());
    const token = identity.customerToken({ endpoint: 'acme' });
    const created = await handler(albEvent('POST', '/api/s3/multipart', { token, body: JSON.stringify({ filename: 'a b+c.pdf', metadata: { size: '3' } }) }));
    expect(created.statusCode).toBe(200);
    expect(created.headers?.['content-type']).toMatch(/^application\/json/);
    const { key, uploadId } = JSON.parse(created.body!);
    expect(key).toBe('uploads/acme/a b+c.pdf');
    const signed = await handler(albEvent('GET', `/api/s3/multipart/${encodeURIComponent(uploadId)}/1`, { token, query: { key } }));
    expect(signed.statusCode).toBe(200);
    expect(decodeURIComponent(new URL(JSON.parse(signed.body!).url).pathname)).toBe(`/${key}`);
  });

  it('answers 401 JSON without a token and 413 for a body over 1 MB', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const handler = createUploadsHandler(env());
    const unauthenticated = await handler(albEvent('GET', '/api/me'));
    expect(unauthenticated.statusCode).toBe(401);
    expect(JSON.parse(unauthenticated.body!)).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    const token = identity.customerToken({ endpoint: 'acme' });
    const big = await handler(albEvent('POST', '/api/s3/multipart', { token, body: JSON.stringify({ filename: 'a', pad: 'x'.repeat(1_000_001) }) }));
    expect(big.statusCode).toBe(413);
    expect(JSON.parse(big.body!).error.code).toBe('body_too_large');
  });

  it('hides internal errors: no stack, bucket, role or S3 error name in a 500', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    s3Mock.on(CreateMultipartUploadCommand).rejects(s3Error('AccessDenied', 403, `arn:aws:iam::123456789012:role/uploads is not allowed on ${BUCKET}`));
    const handler = createUploadsHandler(env());
    const token = identity.customerToken({ endpoint: 'acme' });
    const result = await handler(albEvent('POST', '/api/s3/multipart', { token, body: JSON.stringify({ filename: 'x.pdf', metadata: { size: '1' } }) }));
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body!)).toEqual({ error: { code: 'server_error', message: 'Internal server error' } });
    expect(result.body).not.toMatch(/AccessDenied|arn:|portal-test-bucket|at .*\.ts/);
  });

  it('publishes the request metrics as one EMF line, and nothing when disabled', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    bucket.putReservation('acme', 'uploads/acme/m.pdf');
    const handler = createUploadsHandler(env());
    const token = identity.customerToken({ endpoint: 'acme' });
    const output = await captureStdout(() =>
      handler(
        albEvent('POST', '/api/s3/multipart/u1/batch', {
          token,
          query: { key: 'uploads/acme/m.pdf' },
          body: JSON.stringify({ parts: [1, 2, 3].map((partNumber) => ({ partNumber, size: 5 * 1024 * 1024, checksum: 'rosUhgp5mIg=' })) }),
        }),
      ),
    );
    const emf = output.split('\n').filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
    expect(emf).toHaveLength(1);
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'PortalTest', Metrics: [{ Name: 'PartsSigned', Unit: 'Count' }] });
    expect(emf[0].PartsSigned).toBe(3);
    // A request that records nothing publishes nothing (and no Powertools warning).
    expect(await captureStdout(() => handler(albEvent('GET', '/api/me', { token })))).not.toContain('_aws');

    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const quiet = createUploadsHandler(env());
    const silent = await captureStdout(() => quiet(albEvent('GET', '/api/s3/multipart/u1/1', { token, query: { key: 'uploads/acme/m.pdf' } })));
    expect(silent).not.toContain('_aws');
  });

  it('the exported handler builds itself from process.env on first use', async () => {
    for (const [name, value] of Object.entries(env({ POWERTOOLS_METRICS_DISABLED: 'true' }))) vi.stubEnv(name, value);
    const { handler } = await import('../../../lambdas/uploads/handler.js');
    const result = await handler(albEvent('GET', '/api/me', { token: identity.customerToken({ endpoint: 'acme' }) }));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!).endpoint.name).toBe('acme');
  });

  it('reads ADMIN_ALLOWED_EMAILS: listed admins get in, others 403; unset admits no admin but every customer', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const me = (token: string) => albEvent('GET', '/api/me', { token, query: { endpoint: 'acme' } });
    const listed = createUploadsHandler(env({ ADMIN_ALLOWED_EMAILS: 'boss@example.com,@ops.example' }));
    expect((await listed(me(identity.adminToken({ email: 'boss@example.com' })))).statusCode).toBe(200);
    expect((await listed(me(identity.adminToken({ email: 'night@ops.example' })))).statusCode).toBe(200);
    const other = await listed(me(identity.adminToken({ email: 'admin@example.com' })));
    expect(other.statusCode).toBe(403);
    expect(JSON.parse(other.body!).error.code).toBe('admin_not_allowed');

    const unset = createUploadsHandler(env());
    const refused = await unset(me(identity.adminToken()));
    expect(refused.statusCode).toBe(403);
    expect(JSON.parse(refused.body!).error).toEqual({ code: 'admin_not_allowed', message: expect.stringMatching(/No portal administrators are configured/) });
    expect((await unset(me(identity.customerToken({ endpoint: 'acme' })))).statusCode).toBe(200);
  });

  it('refuses to start with an invalid configuration', () => {
    expect(() => createUploadsHandler(env({ ADMIN_ALLOWED_EMAILS: '*,boss@example.com' }))).toThrow(/ADMIN_ALLOWED_EMAILS/);
    expect(() => createUploadsHandler(env({ PRESIGN_EXPIRES_SECONDS: 'soon' }))).toThrow(/PRESIGN_EXPIRES_SECONDS/);
    expect(() => createUploadsHandler(env({ ALB_KEYS_URL: 'http://keys.example.com' }))).toThrow(/https/);
  });
});
