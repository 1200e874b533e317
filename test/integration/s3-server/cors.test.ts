// Bucket CORS on the local S3 server: unauthenticated preflights matched against the rules, headers on actual responses.
import { CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
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

describe('checksum and conditional-write headers', () => {
  // Whatever rule the server is given is honoured: here one that allows If-None-Match and exposes the checksums.
  const CHECKSUM_HEADERS = ['x-amz-checksum-crc64nvme', 'x-amz-checksum-type'];
  let c: TestServer;
  beforeAll(async () => {
    c = await startTestServer({
      cors: [{ allowedOrigins: [PORTAL], allowedMethods: ['GET', 'PUT', 'HEAD'], allowedHeaders: ['Content-Type', 'If-None-Match', 'x-amz-*'], exposedHeaders: ['ETag', ...CHECKSUM_HEADERS] }],
    });
  });
  afterAll(() => c.close());

  it('lets the browser send checksum headers and If-None-Match only when the rule allows them', async () => {
    const requested = 'content-type, if-none-match, x-amz-checksum-crc64nvme, x-amz-checksum-type, x-amz-sdk-checksum-algorithm';
    const ok = await rawRequest(`${c.server.url}/${BUCKET}/browser.bin`, { method: 'OPTIONS', headers: { origin: PORTAL, 'access-control-request-method': 'PUT', 'access-control-request-headers': requested } });
    expect([ok.status, ok.headers['access-control-allow-headers']]).toEqual([200, requested]);
    expect(ok.headers['access-control-expose-headers']).toBe('ETag, x-amz-checksum-crc64nvme, x-amz-checksum-type');
    // The first server's rule allows only content-type and x-amz-*: If-None-Match is refused there.
    expect((await preflight(PORTAL, 'PUT', 'content-type, if-none-match')).status).toBe(403);
    expect((await preflight(PORTAL, 'PUT', 'content-type, x-amz-checksum-crc64nvme, x-amz-checksum-type')).status).toBe(200);
  });

  it('exposes the checksum headers of a part upload and of a HEAD with checksum mode', async () => {
    const client = c.client({ requestChecksumCalculation: 'WHEN_SUPPORTED' });
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'browser.bin', ChecksumAlgorithm: 'CRC64NVME' }));
    const part = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'browser.bin', UploadId, PartNumber: 1, Body: 'part', ChecksumAlgorithm: 'CRC64NVME' }));
    const url = await getSignedUrl(c.client({ requestChecksumCalculation: 'WHEN_REQUIRED' }), new UploadPartCommand({ Bucket: BUCKET, Key: 'browser.bin', UploadId, PartNumber: 1, ChecksumCRC64NVME: part.ChecksumCRC64NVME }), {
      expiresIn: 60,
      unhoistableHeaders: new Set(['x-amz-checksum-crc64nvme']),
    });
    const res = await fetch(url, { method: 'PUT', body: 'part', headers: { origin: PORTAL, 'x-amz-checksum-crc64nvme': part.ChecksumCRC64NVME! } });
    expect(res.status).toBe(200);
    expect([res.headers.get('access-control-allow-origin'), res.headers.get('x-amz-checksum-crc64nvme')]).toEqual([PORTAL, part.ChecksumCRC64NVME]);
    expect(res.headers.get('access-control-expose-headers')).toContain('x-amz-checksum-crc64nvme');

    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'checked.txt', Body: 'checked', ChecksumAlgorithm: 'CRC64NVME' }));
    const head = await getSignedUrl(client, new HeadObjectCommand({ Bucket: BUCKET, Key: 'checked.txt', ChecksumMode: 'ENABLED' }), { expiresIn: 60, unhoistableHeaders: new Set(['x-amz-checksum-mode']) });
    const headRes = await fetch(head, { method: 'HEAD', headers: { origin: PORTAL, 'x-amz-checksum-mode': 'ENABLED' } });
    expect(headRes.status).toBe(200);
    expect(headRes.headers.get('x-amz-checksum-type')).toBe('FULL_OBJECT');
    expect(headRes.headers.get('x-amz-checksum-crc64nvme')).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    expect(headRes.headers.get('access-control-expose-headers')).toBe('ETag, x-amz-checksum-crc64nvme, x-amz-checksum-type');
  });
});
