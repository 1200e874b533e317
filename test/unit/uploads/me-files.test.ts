// GET /api/me and GET /api/files.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG_ATTRIBUTES, CATALOG_INDEXES } from '../../../contract/catalog-table.js';
import { entryItem, type FileFacts } from '../../../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import { serveIndex } from '../../support/catalog-mock.js';
import { json, toAlbResult } from '../../../lambdas/shared/http.js';
import { ALB_MAX_BODY_BYTES } from '../../../contract/limits.js';
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
        endpoint: {
          name: 'acme',
          displayName: 'acme Ltd',
          expiresAt: '2027-01-01T00:00:00Z',
          maxFileSizeBytes: 10 ** 12,
          allowedExtensions: ['pdf', 'zip'],
          quota: { quotaBytes: null, quotaFiles: null, usedBytes: 0, usedFiles: 0, leftBytes: null, leftFiles: null },
        },
        upload: {
          concurrency: 6,
          multipartThresholdBytes: 100 * MiB,
          minPartSizeBytes: 16 * MiB,
          presignExpiresSeconds: 600,
          maxParts: 10000,
          maxPartsPerBatch: 100,
          checksumAlgorithm: 'CRC64NVME',
          incompleteUploadDays: 7,
        },
      },
    });
    h.bucket.putEndpoint(endpointRecord('acme'));
  });

  it("shows the endpoint's quota and what is left of it, counting uploads in progress as used", async () => {
    h.bucket.putEndpoint(endpointRecord('acme', { quotaBytes: 1000, quotaFiles: 10 }));
    h.ddbMock.on(GetItemCommand, { Key: { pk: { S: '#usage#acme' }, sk: { S: '#usage' } } }).resolves({ Item: { fileCount: { N: '3' }, totalBytes: { N: '400' } } });
    h.ddbMock.on(GetItemCommand, { Key: { pk: { S: '#reserved#acme' }, sk: { S: '#reserved' } } }).resolves({ Item: { reservedBytes: { N: '250' }, reservedFiles: { N: '2' } } });
    try {
      const { body } = await h.call('GET', '/api/me', { token: h.customer() });
      expect(body.endpoint.quota).toEqual({ quotaBytes: 1000, quotaFiles: 10, usedBytes: 650, usedFiles: 5, leftBytes: 350, leftFiles: 5 });
    } finally {
      h.ddbMock.on(GetItemCommand).resolves({});
      h.bucket.putEndpoint(endpointRecord('acme'));
    }
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

const NOW = new Date('2026-11-01T10:00:00.000Z');
const catalogued = (key: string, size: number, uploadedAt = NOW.toISOString(), checksum: FileFacts['checksum'] = null) => {
  const path = catalogPath(key)!;
  const facts: FileFacts = { name: path.segment, size, uploadedAt, uploadedBy: 'jane@files.example', contentType: null, etag: 'e', checksum };
  return entryItem(path, { kind: 'file', sequencer: null, counted: size, pending: null }, facts, NOW);
};

describe('GET /api/files (from the catalog)', () => {
  const items = [
    catalogued('uploads/files/b.pdf', 2, '2026-11-02T08:00:00.000Z'),
    catalogued('uploads/files/a (2).pdf', 1),
    catalogued('uploads/files/Holiday/day 1/img.jpg', 4, '2026-11-01T09:00:00.000Z'),
    catalogued('uploads/filesx/not-mine.pdf', 1),
  ];
  beforeAll(() => {
    h.bucket.putEndpoint(endpointRecord('files'));
    h.bucket.putEndpoint(endpointRecord('filesx'));
    h.bucket.putEndpoint(endpointRecord('empty'));
  });
  beforeEach(() => serveIndex(h.ddbMock, CATALOG_INDEXES.endpointByTime, items));

  it("lists only the caller's files, newest first, with name, folder, size and time, and no links; never lists the bucket", async () => {
    const result = await h.call('GET', '/api/files', { token: h.customer('files') });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      files: [
        { name: 'b.pdf', relativePath: '', size: 2, lastModified: '2026-11-02T08:00:00.000Z', scan: 'not_scanned' },
        { name: 'a (2).pdf', relativePath: '', size: 1, lastModified: '2026-11-01T10:00:00.000Z', scan: 'not_scanned' },
        { name: 'img.jpg', relativePath: 'Holiday/day 1', size: 4, lastModified: '2026-11-01T09:00:00.000Z', scan: 'not_scanned' },
      ],
      nextToken: null,
    });
    expect(h.ddbMock.commandCalls(QueryCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ IndexName: 'endpoint-by-time', ScanIndexForward: false, ExpressionAttributeValues: { ':p': { S: 'files' } } }),
    ]);
    expect(h.s3Mock.commandCalls(ListObjectsV2Command)).toHaveLength(0);
    expect(JSON.stringify(result.body)).not.toMatch(/https?:|X-Amz/);
  });

  it('pages with continuationToken', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await h.call('GET', '/api/files', { token: h.customer('files'), query: { pageSize: '2', ...(token ? { continuationToken: token } : {}) } });
      expect(page.status).toBe(200);
      names.push(...page.body.files.map((f: { name: string }) => f.name));
      token = page.body.nextToken ?? undefined;
      pages++;
    } while (token);
    expect(names).toEqual(['b.pdf', 'a (2).pdf', 'img.jpg']);
    expect(pages).toBe(2);
  });

  it('gives each file the checksum S3 keeps for it (algorithm, type and base64, as the catalog holds them), and none where it keeps none', async () => {
    h.bucket.putEndpoint(endpointRecord('sums'));
    serveIndex(h.ddbMock, CATALOG_INDEXES.endpointByTime, [
      catalogued('uploads/sums/page.pdf', 11, '2026-11-03T08:00:00.000Z', { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'rosUhgp5mIg=' }),
      catalogued('uploads/sums/q3/tool.zip', 12, '2026-11-02T08:00:00.000Z', { algorithm: 'CRC32', type: 'COMPOSITE', base64: 'R/nORQ==-2' }),
      catalogued('uploads/sums/old.txt', 13, '2026-11-01T08:00:00.000Z'),
    ]);
    const result = await h.call('GET', '/api/files', { token: h.customer('sums') });
    expect(result.status).toBe(200);
    expect(result.body.files).toEqual([
      { name: 'page.pdf', relativePath: '', size: 11, lastModified: '2026-11-03T08:00:00.000Z', scan: 'not_scanned', checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'rosUhgp5mIg=' } },
      { name: 'tool.zip', relativePath: 'q3', size: 12, lastModified: '2026-11-02T08:00:00.000Z', scan: 'not_scanned', checksum: { algorithm: 'CRC32', type: 'COMPOSITE', base64: 'R/nORQ==-2' } },
      { name: 'old.txt', relativePath: '', size: 13, lastModified: '2026-11-01T08:00:00.000Z', scan: 'not_scanned' },
    ]);
    expect(result.body.files[2]).not.toHaveProperty('checksum');
    // The listing asks DynamoDB for the checksum's attributes (a projection without them would answer none).
    const projection = h.ddbMock.commandCalls(QueryCommand).at(-1)!.args[0].input;
    const asked = (projection.ProjectionExpression ?? '').split(',').map((name) => projection.ExpressionAttributeNames?.[name.trim()] ?? name.trim());
    expect(asked).toEqual(expect.arrayContaining([CATALOG_ATTRIBUTES.checksumAlgorithm, CATALOG_ATTRIBUTES.checksumType, CATALOG_ATTRIBUTES.checksum]));
  });

  it('answers an empty endpoint with an empty list', async () => {
    expect((await h.call('GET', '/api/files', { token: h.customer('empty') })).body).toEqual({ files: [], nextToken: null });
  });

  it('refuses bad page sizes and tokens with 400, and a token of another endpoint', async () => {
    for (const pageSize of ['0', '1001', 'x']) {
      expect((await h.call('GET', '/api/files', { token: h.customer('files'), query: { pageSize } })).body.error.code).toBe('invalid_page_size');
    }
    expect((await h.call('GET', '/api/files', { token: h.customer('files'), query: { continuationToken: 'garbage!' } })).body.error.code).toBe('invalid_token');
    const first = await h.call('GET', '/api/files', { token: h.customer('files'), query: { pageSize: '1' } });
    expect((await h.call('GET', '/api/files', { token: h.customer('filesx'), query: { continuationToken: first.body.nextToken } })).body.error.code).toBe('invalid_token');
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
    const long = Array.from({ length: total }, (_, i) => {
      const name = `${String(i).padStart(4, '0')}${'"'.repeat(1024 - prefix.length - 3 * 251 - 4)}`;
      const key = `${prefix}${segment}/${segment}/${segment}/${name}`;
      expect(Buffer.byteLength(key)).toBe(1024);
      return catalogued(key, 1, new Date(NOW.getTime() + i).toISOString());
    });
    serveIndex(h.ddbMock, CATALOG_INDEXES.endpointByTime, long);
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
  });
});
