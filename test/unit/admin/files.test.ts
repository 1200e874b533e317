import { describe, expect, it } from 'vitest';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  type ListObjectsV2CommandInput,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { FileListing } from '../../../contract/api/admin.js';
import { createAdminApp } from '../../../lambdas/admin/app.js';
import { attachmentDisposition } from '../../../lambdas/admin/content-disposition.js';
import { toAlbResult } from '../../../lambdas/shared/http.js';
import { ALB_MAX_BODY_BYTES } from '../../../contract/limits.js';
import { reservationKey } from '../../../lambdas/shared/upload-reservation.js';
import { fakeVerifier, harness, inputsOf, notFound, NOW, s3Error, SETTINGS, type Harness } from './harness.js';

const auditEvents = (h: Harness) =>
  inputsOf<PutObjectCommandInput>(h.s3Mock, PutObjectCommand)
    .filter((p) => p.Key!.startsWith('_portal/audit/all/'))
    .map((p) => JSON.parse(String(p.Body)));

describe('GET /admin/api/files', () => {
  it('lists one folder page: Delimiter "/", folders with their trailing "/", files with original names', async () => {
    const h = harness();
    h.s3Mock.on(ListObjectsV2Command).resolves({
      CommonPrefixes: [{ Prefix: 'uploads/acme/john/2025/' }, { Prefix: 'uploads/acme/john/2026/' }],
      Contents: [
        { Key: 'uploads/acme/john/', Size: 0, LastModified: new Date('2026-11-01T00:00:00Z') }, // folder marker
        { Key: 'uploads/acme/john/r\u00e9sum\u00e9.pdf', Size: 1234, LastModified: new Date('2026-11-02T03:04:05Z') },
        { Key: 'uploads/acme/john/plain.bin', Size: 7, LastModified: new Date('2026-11-03T00:00:00Z') },
      ],
      IsTruncated: true,
      NextContinuationToken: 'opaque-2',
    });
    h.s3Mock.on(HeadObjectCommand, { Key: 'uploads/acme/john/r\u00e9sum\u00e9.pdf' }).resolves({
      ContentLength: 1234,
      Metadata: { 'original-name': encodeURIComponent('Résumé (final).pdf'), 'uploaded-by': encodeURIComponent('bob@acme.example') },
    });
    h.s3Mock.on(HeadObjectCommand, { Key: 'uploads/acme/john/plain.bin' }).resolves({ ContentLength: 7, Metadata: {} });

    const res = await h.call('GET', '/admin/api/files', { query: { endpoint: 'acme', prefix: 'john', pageSize: '3', continuationToken: 'opaque-1' } });

    expect(inputsOf(h.s3Mock, ListObjectsV2Command)).toEqual([
      { Bucket: 'portal-bucket', Prefix: 'uploads/acme/john/', Delimiter: '/', MaxKeys: 3, ContinuationToken: 'opaque-1' },
    ]);
    expect(res).toMatchObject({ status: 200 });
    expect(res.body).toEqual({
      endpoint: 'acme',
      prefix: 'john/',
      folders: ['john/2025/', 'john/2026/'],
      files: [
        { key: 'uploads/acme/john/r\u00e9sum\u00e9.pdf', name: 'Résumé (final).pdf', size: 1234, lastModified: '2026-11-02T03:04:05.000Z', uploadedBy: 'bob@acme.example' },
        { key: 'uploads/acme/john/plain.bin', name: 'plain.bin', size: 7, lastModified: '2026-11-03T00:00:00.000Z', uploadedBy: null },
      ],
      nextToken: 'opaque-2',
    });
  });

  it('never lists a sibling folder: "john" is listed as "john/" (not johnny/)', async () => {
    const h = harness();
    h.s3Mock.on(ListObjectsV2Command).resolves({});
    await h.call('GET', '/admin/api/files', { query: { endpoint: 'john', prefix: 'docs' } });
    expect(inputsOf<ListObjectsV2CommandInput>(h.s3Mock, ListObjectsV2Command)[0]!.Prefix).toBe('uploads/john/docs/');
  });

  it('answers an empty endpoint with an empty listing', async () => {
    const h = harness();
    h.s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0, IsTruncated: false });
    const res = await h.call('GET', '/admin/api/files', { query: { endpoint: 'acme' } });
    expect(res).toEqual({ status: 200, headers: expect.any(Object), body: { endpoint: 'acme', prefix: '', folders: [], files: [], nextToken: null } });
    expect(inputsOf<ListObjectsV2CommandInput>(h.s3Mock, ListObjectsV2Command)[0]).toMatchObject({ Prefix: 'uploads/acme/', MaxKeys: 100 });
  });

  it('without an endpoint lists the endpoint folders under uploads/, hiding the reservations folder', async () => {
    const h = harness();
    h.s3Mock.on(ListObjectsV2Command).resolves({ CommonPrefixes: [{ Prefix: 'uploads/.portal-pending/' }, { Prefix: 'uploads/acme/' }, { Prefix: 'uploads/beta/' }] });
    const res = await h.call('GET', '/admin/api/files');
    expect(res.body).toMatchObject({ endpoint: null, prefix: '', folders: ['acme/', 'beta/'] });
    expect(inputsOf<ListObjectsV2CommandInput>(h.s3Mock, ListObjectsV2Command)[0]!.Prefix).toBe('uploads/');
  });

  it('pages through 100,500 objects, 1,000 per request, each object exactly once', async () => {
    // A plain fake S3 here: 100,000 HEADs through the sinon-based mock would take most of a minute.
    const total = 100_500;
    const lists: ListObjectsV2CommandInput[] = [];
    let heads = 0;
    const fakeS3 = {
      send: async (command: { input: unknown }) => {
        if (command instanceof HeadObjectCommand) {
          heads++;
          return { Metadata: {} };
        }
        if (!(command instanceof ListObjectsV2Command)) throw new Error('unexpected command');
        const input = command.input as ListObjectsV2CommandInput;
        lists.push(input);
        const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
        const end = Math.min(total, start + input.MaxKeys!);
        const Contents = Array.from({ length: end - start }, (_, i) => ({ Key: `uploads/big/f${String(start + i).padStart(6, '0')}`, Size: 1, LastModified: NOW }));
        return { Contents, IsTruncated: end < total, NextContinuationToken: end < total ? String(end) : undefined };
      },
    } as unknown as S3Client;
    const app = createAdminApp({ settings: SETTINGS, s3: fakeS3, cognito: harness().cognito, verifyIdentity: fakeVerifier, logger: {} as Logger, now: () => NOW });
    const seen = new Set<string>();
    let token: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = { endpoint: 'big', pageSize: '1000', ...(token ? { continuationToken: token } : {}) };
      const res = await app({ method: 'GET', path: '/admin/api/files', query, headers: { 'x-amzn-oidc-data': 'admin' }, body: Buffer.alloc(0), sourceIp: '::1' }, undefined);
      const listing = JSON.parse(String(res.body)) as FileListing;
      for (const file of listing.files) seen.add(file.key);
      token = listing.nextToken;
      pages++;
    } while (token);
    expect(pages).toBe(101);
    expect(seen.size).toBe(total);
    expect(heads).toBe(total);
    expect(lists.every((l) => l.MaxKeys === 1000 && l.Delimiter === '/' && l.Prefix === 'uploads/big/')).toBe(true);
  }, 30_000);

  it.each([
    [{ endpoint: 'Bad Name' }, 'invalid_name'],
    [{ endpoint: 'acme', pageSize: '1001' }, 'invalid_page_size'],
    [{ endpoint: 'acme', pageSize: 'ten' }, 'invalid_page_size'],
    [{ endpoint: 'acme', prefix: '../_portal/' }, 'invalid_prefix'],
  ])('answers 400 for %j without listing', async (query, code) => {
    const h = harness();
    expect(await h.call('GET', '/admin/api/files', { query })).toMatchObject({ status: 400, body: { error: { code } } });
    expect(h.s3Mock.calls()).toHaveLength(0);
  });

  it('keeps a page of maximal keys, folders and names under the ALB response cap, and pages through each entry once', async () => {
    // 1,024-byte keys and prefixes of `"` (4 bytes each once embedded in the Lambda result) and the
    // longest original names metadata can hold: 1,000 of them would be about 6 MB.
    const h = harness();
    const root = 'uploads/acme/';
    const fill = (tag: string, tail = '') => `${root}${tag}${'"'.repeat(1024 - root.length - tag.length - tail.length)}${tail}`;
    const entries = Array.from({ length: 1500 }, (_, i) => {
      const tag = String(i).padStart(4, '0');
      return i % 3 === 0 ? { prefix: fill(tag, '/') } : { key: fill(tag) };
    });
    h.s3Mock.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
      const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
      const slice = entries.slice(start, start + input.MaxKeys!);
      const end = start + slice.length;
      return {
        CommonPrefixes: slice.filter((e) => e.prefix).map((e) => ({ Prefix: e.prefix })),
        Contents: slice.filter((e) => e.key).map((e) => ({ Key: e.key, Size: 1, LastModified: NOW })),
        IsTruncated: end < entries.length,
        NextContinuationToken: end < entries.length ? String(end) : undefined,
      };
    });
    const longName = encodeURIComponent('"'.repeat(300));
    h.s3Mock.on(HeadObjectCommand).resolves({ Metadata: { 'original-name': longName, 'uploaded-by': encodeURIComponent('"'.repeat(300)) } });

    const seen: string[] = [];
    const sizes: number[] = [];
    let token: string | null = null;
    do {
      const query: Record<string, string> = { endpoint: 'acme', pageSize: '1000', ...(token ? { continuationToken: token } : {}) };
      const res = await h.call('GET', '/admin/api/files', { query });
      expect(res.status).toBe(200);
      const result = JSON.stringify(toAlbResult({ status: 200, headers: res.headers, body: JSON.stringify(res.body) }, true));
      expect(Buffer.byteLength(result)).toBeLessThanOrEqual(ALB_MAX_BODY_BYTES);
      expect(res.body.files.every((f: { name: string }) => f.name === '"'.repeat(300))).toBe(true);
      seen.push(...res.body.folders, ...res.body.files.map((f: { key: string }) => f.key));
      sizes.push(res.body.folders.length + res.body.files.length);
      token = res.body.nextToken;
    } while (token);
    expect(seen).toHaveLength(entries.length);
    expect(new Set(seen).size).toBe(entries.length);
    expect(sizes.slice(0, -1).every((n) => n > 100)).toBe(true);
    // HEADs go to the entries that are answered, not to the ones a too-long first listing held.
    const heads = inputsOf<{ Key: string }>(h.s3Mock, HeadObjectCommand).map((i) => i.Key);
    expect(heads).toHaveLength(1000);
    expect(new Set(heads).size).toBe(1000);
  });

  it('answers 400 invalid_token when S3 rejects the continuation token', async () => {
    const h = harness();
    h.s3Mock.on(ListObjectsV2Command).rejects(s3Error('InvalidArgument', 400));
    expect(await h.call('GET', '/admin/api/files', { query: { endpoint: 'acme', continuationToken: 'junk' } })).toMatchObject({ status: 400, body: { error: { code: 'invalid_token' } } });
  });
});

describe('GET /admin/api/files/download', () => {
  const KEY = 'uploads/acme/r\u00e9sum\u00e9.pdf';

  it('audits, then redirects (302) to a 15-minute presigned GET that saves under the original name', async () => {
    const h = harness();
    h.s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 42, Metadata: { 'original-name': encodeURIComponent('Résumé 2026.pdf') } });
    h.s3Mock.on(PutObjectCommand).resolves({});
    const res = await h.call('GET', '/admin/api/files/download', { query: { key: KEY } });
    expect(res.status).toBe(302);
    expect(res.headers['cache-control']).toBe('no-store');
    const url = new URL(res.headers.location!);
    expect(url.origin).toBe('https://portal-bucket.s3.eu-west-1.amazonaws.com');
    expect(decodeURIComponent(url.pathname)).toBe(`/${KEY}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261125T120000Z');
    expect(url.searchParams.get('response-content-disposition')).toBe(attachmentDisposition('Résumé 2026.pdf'));
    expect(url.searchParams.get('response-content-disposition')).toBe(`attachment; filename="Resume 2026.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%202026.pdf`);
    expect([...url.searchParams.keys()].some((k) => k.toLowerCase().startsWith('x-amz-checksum'))).toBe(false);
    expect(auditEvents(h)).toEqual([
      expect.objectContaining({ action: 'file.downloaded', endpoint: 'acme', target: KEY, details: { name: 'Résumé 2026.pdf', size: 42, expiresInSeconds: 900 } }),
    ]);
  });

  it('honours DOWNLOAD_EXPIRES_SECONDS', async () => {
    const h = harness({ settings: { downloadExpiresSeconds: 120 } });
    h.s3Mock.on(HeadObjectCommand).resolves({ Metadata: {} });
    h.s3Mock.on(PutObjectCommand).resolves({});
    const res = await h.call('GET', '/admin/api/files/download', { query: { key: 'uploads/acme/a.txt' } });
    expect(new URL(res.headers.location!).searchParams.get('X-Amz-Expires')).toBe('120');
  });

  it('gives no URL when the audit event cannot be stored', async () => {
    const h = harness();
    h.s3Mock.on(HeadObjectCommand).resolves({ Metadata: {} });
    h.s3Mock.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));
    const res = await h.call('GET', '/admin/api/files/download', { query: { key: 'uploads/acme/a.txt' } });
    expect(res).toMatchObject({ status: 500, body: { error: { code: 'server_error' } } });
    expect(res.headers.location).toBeUndefined();
  });

  it.each(['_portal/endpoints/acme.json', '_portal/audit/all/1-x.json', 'uploads/.portal-pending/acme/x.json', 'uploads/acme/../../_portal/endpoints/acme.json', 'secrets.txt'])(
    'refuses %s (outside uploads/) with 403, before any S3 call',
    async (key) => {
      const h = harness();
      expect(await h.call('GET', '/admin/api/files/download', { query: { key } })).toMatchObject({ status: 403, body: { error: { code: 'key_outside_uploads' } } });
      expect(h.s3Mock.calls()).toHaveLength(0);
    },
  );

  it.each(['cross-site', 'same-site', 'Cross-Site'])('refuses Sec-Fetch-Site: %s with 403 cross_site, before any S3 call or audit', async (site) => {
    const h = harness();
    h.s3Mock.on(HeadObjectCommand).resolves({ Metadata: {} });
    h.s3Mock.on(PutObjectCommand).resolves({});
    const res = await h.call('GET', '/admin/api/files/download', { query: { key: 'uploads/acme/a.txt' }, headers: { 'sec-fetch-site': site } });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'cross_site' } } });
    expect(res.headers.location).toBeUndefined();
    expect(h.s3Mock.calls()).toHaveLength(0);
  });

  it.each([['same-origin'], ['none'], [undefined]])('downloads with Sec-Fetch-Site: %s (the console link, a typed URL, a non-browser client)', async (site) => {
    const h = harness();
    h.s3Mock.on(HeadObjectCommand).resolves({ Metadata: {} });
    h.s3Mock.on(PutObjectCommand).resolves({});
    const res = await h.call('GET', '/admin/api/files/download', { query: { key: 'uploads/acme/a.txt' }, headers: site ? { 'sec-fetch-site': site } : {} });
    expect(res.status).toBe(302);
    expect(auditEvents(h)).toHaveLength(1);
  });

  it('answers 404 file_not_found for a missing file, without an audit event', async () => {
    const h = harness();
    h.s3Mock.on(HeadObjectCommand).rejects(notFound());
    expect(await h.call('GET', '/admin/api/files/download', { query: { key: 'uploads/acme/gone.bin' } })).toMatchObject({ status: 404, body: { error: { code: 'file_not_found' } } });
    expect(auditEvents(h)).toHaveLength(0);
  });
});

describe('POST /admin/api/files/share', () => {
  const KEY = 'uploads/acme/big.iso';

  it('grants the requested lifetime when nothing limits it', async () => {
    const h = harness();
    h.s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 9, Metadata: { 'original-name': 'big.iso' } });
    h.s3Mock.on(PutObjectCommand).resolves({});
    const res = await h.call('POST', '/admin/api/files/share', { body: { key: KEY, expiresInSeconds: 86_400 } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ url: expect.any(String), expiresAt: '2026-11-26T12:00:00.000Z', expiresInSeconds: 86_400, capped: false, cappedBy: null, reason: null });
    const url = new URL(res.body.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('86400');
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="big.iso"');
    expect(auditEvents(h)).toEqual([
      expect.objectContaining({
        action: 'file.shared',
        target: KEY,
        details: { name: 'big.iso', requestedSeconds: 86_400, expiresInSeconds: 86_400, expiresAt: '2026-11-26T12:00:00.000Z', cappedBy: null },
      }),
    ]);
  });

  it('caps at 7 days and says so', async () => {
    const h = harness();
    h.s3Mock.on(HeadObjectCommand).resolves({ Metadata: {} });
    h.s3Mock.on(PutObjectCommand).resolves({});
    const res = await h.call('POST', '/admin/api/files/share', { body: { key: KEY, expiresInSeconds: 30 * 86_400 } });
    expect(res.body).toMatchObject({ expiresInSeconds: 604_800, expiresAt: '2026-12-02T12:00:00.000Z', capped: true, cappedBy: 'max_lifetime', reason: expect.stringMatching(/7 days/) });
    expect(new URL(res.body.url).searchParams.get('X-Amz-Expires')).toBe('604800');
  });

  it("caps at the signing credentials' expiry (Lambda role credentials) and says so", async () => {
    const expiration = new Date(NOW.getTime() + 2 * 3600_000);
    const h = harness({ credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session', expiration } });
    h.s3Mock.on(HeadObjectCommand).resolves({ Metadata: {} });
    h.s3Mock.on(PutObjectCommand).resolves({});
    const res = await h.call('POST', '/admin/api/files/share', { body: { key: KEY, expiresInSeconds: 7 * 86_400 } });
    expect(res.body).toMatchObject({
      expiresInSeconds: 2 * 3600 - 60,
      expiresAt: '2026-11-25T13:59:00.000Z',
      capped: true,
      cappedBy: 'credentials',
      reason: expect.stringContaining('2026-11-25T14:00:00.000Z'),
    });
    const url = new URL(res.body.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(2 * 3600 - 60));
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('session');
  });

  it.each([
    [{ key: KEY, expiresInSeconds: 0 }, 400, 'invalid_expiry'],
    [{ key: KEY, expiresInSeconds: 1.5 }, 400, 'invalid_expiry'],
    [{ key: KEY, expiresInSeconds: '3600' }, 400, 'invalid_expiry'],
    [{ key: KEY }, 400, 'invalid_expiry'],
    [{ key: '_portal/endpoints/acme.json', expiresInSeconds: 60 }, 403, 'key_outside_uploads'],
    [{ expiresInSeconds: 60 }, 400, 'missing_key'],
    [{ key: KEY, expiresInSeconds: 60, public: true }, 400, 'unknown_field'],
  ])('refuses %j', async (body, status, code) => {
    const h = harness();
    expect(await h.call('POST', '/admin/api/files/share', { body })).toMatchObject({ status, body: { error: { code } } });
    expect(h.s3Mock.calls()).toHaveLength(0);
  });

  it('needs JSON and a same-origin request', async () => {
    const h = harness();
    expect((await h.call('POST', '/admin/api/files/share', { body: `key=${KEY}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await h.call('POST', '/admin/api/files/share', { body: { key: KEY, expiresInSeconds: 60 }, headers: { 'sec-fetch-site': 'same-site' } })).status).toBe(403);
  });
});

describe('DELETE /admin/api/files', () => {
  it('deletes the file and its upload reservation, and audits', async () => {
    const h = harness();
    const key = 'uploads/acme/sub/report.pdf';
    h.s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 10, Metadata: { 'original-name': 'report.pdf' } });
    h.s3Mock.on(DeleteObjectCommand).resolves({});
    h.s3Mock.on(PutObjectCommand).resolves({});
    const res = await h.call('DELETE', '/admin/api/files', { query: { key } });
    expect(res.status).toBe(204);
    expect(inputsOf(h.s3Mock, DeleteObjectCommand)).toEqual([
      { Bucket: 'portal-bucket', Key: key },
      { Bucket: 'portal-bucket', Key: reservationKey('acme', key) },
    ]);
    expect(auditEvents(h)).toEqual([expect.objectContaining({ action: 'file.deleted', endpoint: 'acme', target: key, details: { name: 'report.pdf', size: 10 } })]);
  });

  it.each(['_portal/endpoints/acme.json', '_portal/audit/all/x.json', 'uploads/', 'uploads/acme', 'other/acme/x'])('refuses %s with 403 and deletes nothing', async (key) => {
    const h = harness();
    expect(await h.call('DELETE', '/admin/api/files', { query: { key } })).toMatchObject({ status: 403, body: { error: { code: 'key_outside_uploads' } } });
    expect(h.s3Mock.calls()).toHaveLength(0);
  });

  it('answers 404 for a missing file instead of S3’s silent success', async () => {
    const h = harness();
    h.s3Mock.on(HeadObjectCommand).rejects(notFound());
    expect((await h.call('DELETE', '/admin/api/files', { query: { key: 'uploads/acme/nope' } })).status).toBe(404);
    expect(h.s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('refuses a cross-site DELETE', async () => {
    const h = harness();
    expect(await h.call('DELETE', '/admin/api/files', { query: { key: 'uploads/acme/a' }, headers: { 'sec-fetch-site': 'cross-site' } })).toMatchObject({ status: 403, body: { error: { code: 'csrf_rejected' } } });
    expect(h.s3Mock.calls()).toHaveLength(0);
  });
});
