// GET /api/me and GET /api/files.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { json, toAlbResult } from '../../../lambdas/shared/http.js';
import { ALB_MAX_BODY_BYTES } from '../../../contract/limits.js';
import { reservationKey } from '../../../lambdas/shared/upload-reservation.js';
import { endpointRecord, MiB, useHarness } from './harness.js';

const h = useHarness();

describe('GET /api/me', () => {
  it("describes a customer, its endpoint's limits and the upload settings", async () => {
    h.bucket.putEndpoint(endpointRecord('acme', { expiresAt: '2027-01-01T00:00:00Z', maxFileSizeBytes: 10 ** 12, allowedExtensions: ['pdf', 'zip'] }));
    const result = await h.call('GET', '/api/me', { token: h.customer('acme', { email: 'jane@acme.example' }) });
    expect(result).toEqual({
      status: 200,
      body: {
        user: { email: 'jane@acme.example', username: 'customer1', kind: 'customer' },
        endpoint: { name: 'acme', displayName: 'acme Ltd', expiresAt: '2027-01-01T00:00:00Z', maxFileSizeBytes: 10 ** 12, allowedExtensions: ['pdf', 'zip'] },
        upload: {
          concurrency: 6,
          multipartThresholdBytes: 100 * MiB,
          minPartSizeBytes: 16 * MiB,
          presignExpiresSeconds: 1800,
          maxParts: 10000,
          maxPartsPerBatch: 100,
          checksumAlgorithm: 'CRC64NVME',
        },
      },
    });
    h.bucket.putEndpoint(endpointRecord('acme'));
  });

  it('reports configured upload settings', async () => {
    h.rebuild({ concurrency: 3, minPartSizeBytes: 64 * MiB });
    try {
      const { body } = await h.call('GET', '/api/me', { token: h.customer() });
      expect(body.upload).toMatchObject({ concurrency: 3, minPartSizeBytes: 64 * MiB });
    } finally {
      h.rebuild();
    }
  });

  it('describes an admin with no endpoint, or the one named in ?endpoint=', async () => {
    const plain = await h.call('GET', '/api/me', { token: h.admin() });
    expect(plain.body.user).toEqual({ email: 'admin@example.com', username: 'Ada Admin', kind: 'admin' });
    expect(plain.body.endpoint).toBeNull();
    const chosen = await h.call('GET', '/api/me', { token: h.admin(), query: { endpoint: 'globex' } });
    expect(chosen.body.endpoint.name).toBe('globex');
    expect((await h.call('GET', '/api/me', { token: h.admin(), query: { endpoint: 'nobody' } })).status).toBe(404);
  });

  it('ignores ?endpoint= from a customer', async () => {
    const result = await h.call('GET', '/api/me', { token: h.customer('acme'), query: { endpoint: 'globex' } });
    expect(result.body.endpoint.name).toBe('acme');
  });
});

describe('GET /api/files', () => {
  beforeAll(() => {
    h.bucket.putEndpoint(endpointRecord('files'));
    h.bucket.putEndpoint(endpointRecord('filesx'));
    h.bucket.putObject('uploads/files/b.pdf', 'bb', {}, new Date('2026-11-02T08:00:00Z'));
    h.bucket.putObject('uploads/files/a (2).pdf', 'a');
    h.bucket.putObject('uploads/files/Holiday/day 1/img.jpg', 'jpg!');
    h.bucket.putObject('uploads/files/folder-marker/', '');
    h.bucket.putObject('uploads/files/.hidden', 'x');
    h.bucket.putObject('uploads/filesx/not-mine.pdf', 'x');
    h.bucket.putObject(reservationKey('files', 'uploads/files/b.pdf'), '{}');
  });

  it("lists only the caller's completed files, with name, folder, size and time, and no links", async () => {
    const result = await h.call('GET', '/api/files', { token: h.customer('files') });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      files: [
        { name: 'img.jpg', relativePath: 'Holiday/day 1', size: 4, lastModified: '2026-11-01T10:00:00.000Z' },
        { name: 'a (2).pdf', relativePath: '', size: 1, lastModified: '2026-11-01T10:00:00.000Z' },
        { name: 'b.pdf', relativePath: '', size: 2, lastModified: '2026-11-02T08:00:00.000Z' },
      ],
      nextToken: null,
    });
    // The trailing slash keeps `filesx/` out of `files`.
    expect(h.s3Mock.commandCalls(ListObjectsV2Command)[0]!.args[0].input.Prefix).toBe('uploads/files/');
    expect(JSON.stringify(result.body)).not.toMatch(/https?:|X-Amz/);
  });

  it('pages with continuationToken (a page may be short where hidden objects were left out)', async () => {
    const names: string[] = [];
    const tokens: Array<string | undefined> = [];
    let token: string | undefined;
    do {
      const page = await h.call('GET', '/api/files', { token: h.customer('files'), query: { pageSize: '2', ...(token ? { continuationToken: token } : {}) } });
      expect(page.status).toBe(200);
      names.push(...page.body.files.map((f: { name: string }) => f.name));
      tokens.push(token);
      token = page.body.nextToken ?? undefined;
    } while (token);
    expect(names).toEqual(['img.jpg', 'a (2).pdf', 'b.pdf']);
    expect(h.s3Mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.ContinuationToken)).toEqual(tokens);
    expect(tokens).toHaveLength(3);
  });

  it('answers an empty endpoint with an empty list', async () => {
    h.bucket.putEndpoint(endpointRecord('empty'));
    expect((await h.call('GET', '/api/files', { token: h.customer('empty') })).body).toEqual({ files: [], nextToken: null });
  });

  it('refuses bad page sizes and tokens with 400', async () => {
    for (const pageSize of ['0', '1001', 'x']) {
      expect((await h.call('GET', '/api/files', { token: h.customer('files'), query: { pageSize } })).body.error.code).toBe('invalid_page_size');
    }
    expect((await h.call('GET', '/api/files', { token: h.customer('files'), query: { continuationToken: 'garbage' } })).body.error.code).toBe('invalid_token');
  });

  it('lets an admin list an endpoint it names, and a customer only its own', async () => {
    const admin = await h.call('GET', '/api/files', { token: h.admin(), query: { endpoint: 'filesx' } });
    expect(admin.body.files.map((f: { name: string }) => f.name)).toEqual(['not-mine.pdf']);
    expect((await h.call('GET', '/api/files', { token: h.admin() })).body.error.code).toBe('endpoint_required');
    expect((await h.call('GET', '/api/files', { token: h.customer('files'), query: { endpoint: 'filesx' } })).status).toBe(403);
  });

  it('keeps a page of 1,000 maximal keys under the ALB response cap, and pages through all of them once', async () => {
    h.bucket.putEndpoint(endpointRecord('longkeys'));
    // 1,024-byte keys of `"`, the character that grows most once the body is embedded in the Lambda
    // result (`"` -> `\"` in the body -> `\\\"` in the result): four bytes per byte.
    const prefix = 'uploads/longkeys/';
    const segment = '"'.repeat(250);
    const total = 1_100;
    for (let i = 0; i < total; i++) {
      const name = `${String(i).padStart(4, '0')}${'"'.repeat(1024 - prefix.length - 3 * 251 - 4)}`;
      const key = `${prefix}${segment}/${segment}/${segment}/${name}`;
      expect(Buffer.byteLength(key)).toBe(1024);
      h.bucket.putObject(key, 'x');
    }
    h.s3Mock.resetHistory();
    const seen = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    const sizes: number[] = [];
    do {
      const page = await h.call('GET', '/api/files', { token: h.customer('longkeys'), query: { pageSize: '1000', ...(token ? { continuationToken: token } : {}) } });
      expect(page.status).toBe(200);
      // The Lambda result exactly as the ALB receives it (json() of the same body gives the same text).
      const result = JSON.stringify(toAlbResult(json(200, page.body), true));
      expect(Buffer.byteLength(result)).toBeLessThanOrEqual(ALB_MAX_BODY_BYTES);
      sizes.push(page.body.files.length);
      for (const file of page.body.files) seen.add(`${file.relativePath}/${file.name}`);
      token = page.body.nextToken ?? undefined;
      pages++;
    } while (token);
    expect(seen.size).toBe(total);
    expect(pages).toBeGreaterThan(4);
    // Full pages are not needlessly short: about 230 such entries fit in 1 MB.
    expect(sizes.slice(0, -1).every((n) => n > 150)).toBe(true);
    // Shortened pages are listed again with a smaller MaxKeys; S3's token then resumes right after them.
    const maxKeys = h.s3Mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.MaxKeys!);
    expect(Math.min(...maxKeys)).toBeLessThan(1000);
  });
});

