// Bucket CORS on the local S3 server: unauthenticated preflights matched against the rules, headers on actual responses.
import { GetObjectCommand, PutObjectCommand, UploadPartCommand, CreateMultipartUploadCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { CorsRule as StackCorsRule } from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorsRule } from '../../../local/s3/server.js';
import { BUCKET, errorCode, rawRequest, startTestServer, type TestServer } from './helpers.js';

// Type-level check (erased at run time): the stack's bucket CORS rules can be handed to the local server unchanged.
export const acceptsStackRules = (rules: StackCorsRule[]): CorsRule[] => rules;

const PORTAL = 'https://portal.example.com';
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({
    cors: [
      {
        allowedOrigins: [PORTAL, 'http://localhost:*'],
        allowedMethods: ['GET', 'PUT', 'POST', 'HEAD'],
        allowedHeaders: ['content-type', 'x-amz-*'],
        exposedHeaders: ['ETag'],
        maxAge: 3000,
      },
    ],
  });
  await t.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'file.txt', Body: 'cors' }));
});
afterAll(() => t.close());

const preflight = (origin: string | undefined, method: string, headers?: string, path = `/${BUCKET}/file.txt`) =>
  rawRequest(`${t.server.url}${path}`, {
    method: 'OPTIONS',
    headers: {
      ...(origin ? { origin } : {}),
      'access-control-request-method': method,
      ...(headers ? { 'access-control-request-headers': headers } : {}),
    },
  });

describe('preflight', () => {
  it('allows the portal origin for the configured methods and headers, without credentials', async () => {
    const res = await preflight(PORTAL, 'PUT', 'Content-Type, x-amz-date');
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': PORTAL,
      'access-control-allow-methods': 'GET, PUT, POST, HEAD',
      'access-control-allow-headers': 'content-type, x-amz-date',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '3000',
    });
    expect((await preflight('http://localhost:5173', 'POST', undefined, `/${BUCKET}`)).status).toBe(200);
  });

  it('refuses other origins, methods and headers with 403, and a missing Origin with 400', async () => {
    const origin = await preflight('https://evil.example.com', 'PUT');
    expect([origin.status, errorCode(origin.body)]).toEqual([403, 'AccessForbidden']);
    expect(origin.headers['access-control-allow-origin']).toBeUndefined();
    expect((await preflight(PORTAL, 'DELETE')).status).toBe(403);
    expect((await preflight(PORTAL, 'PUT', 'authorization')).status).toBe(403);
    expect((await preflight(undefined, 'PUT')).status).toBe(400);
    expect((await preflight(PORTAL, 'PUT', undefined, '/no-such-bucket/x')).status).toBe(403);
  });
});

describe('actual requests', () => {
  it('adds Allow-Origin and exposes ETag for a matching origin only', async () => {
    const client = t.client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'browser.bin' }));
    const url = await getSignedUrl(client, new UploadPartCommand({ Bucket: BUCKET, Key: 'browser.bin', UploadId, PartNumber: 1 }), { expiresIn: 60 });
    const res = await fetch(url, { method: 'PUT', body: 'part', headers: { origin: PORTAL } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(res.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);

    const get = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: 'file.txt' }), { expiresIn: 60 });
    const other = await fetch(get, { headers: { origin: 'https://evil.example.com' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('puts CORS headers on errors too, so the browser can read "Request has expired"', async () => {
    const url = await getSignedUrl(t.client(), new GetObjectCommand({ Bucket: BUCKET, Key: 'file.txt' }), { expiresIn: 1, signingDate: new Date(Date.now() - 60_000) });
    const res = await fetch(url, { headers: { origin: PORTAL } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(await res.text()).toContain('Request has expired');
  });
});
