import { describe, expect, it } from 'vitest';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../../lambdas/shared/catalog/catalog-db.js';
import { entryItem, folderItem, type FileFacts } from '../../../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import { attachmentDisposition } from '../../../lambdas/admin/content-disposition.js';
import { toAlbResult } from '../../../lambdas/shared/http.js';
import { ALB_MAX_BODY_BYTES } from '../../../contract/limits.js';
import { reservationKey } from '../../../lambdas/shared/upload-reservation.js';
import { auditEvents, harness, inputsOf, notFound, NOW, s3Error } from './harness.js';


/**
 * The folder items of `folders` (relative to endpoint acme) as DynamoDB pages them: at most Limit per
 * page, after ExclusiveStartKey, with a LastEvaluatedKey whenever Limit was reached (even at the end).
 */
const folderPages = (folders: string[]) => {
  const items = folders.map((folder) => folderItem('acme', folder, NOW));
  return (input: QueryCommandInput) => {
    const after = input.ExclusiveStartKey?.sk?.S;
    const start = after ? items.findIndex((item) => item.sk!.S === after) + 1 : 0;
    const slice = items.slice(start, start + input.Limit!);
    return { Items: slice, ScannedCount: slice.length, ...(slice.length === input.Limit ? { LastEvaluatedKey: { pk: slice.at(-1)!.pk!, sk: slice.at(-1)!.sk! } } : {}) };
  };
};

const file = (key: string, facts: Partial<FileFacts> = {}): Item => {
  const path = catalogPath(key)!;
  const all: FileFacts = { name: path.segment, size: 1, uploadedAt: NOW.toISOString(), uploadedBy: null, contentType: null, etag: 'e', checksum: null, ...facts };
  return entryItem(path, { kind: 'file', sequencer: null, counted: all.size, pending: null }, all, NOW);
};

describe('GET /admin/api/files (from the catalog)', () => {
  it('lists one folder: its sub-folders, then its files by name from the folder-by-name index, with original name, uploader and checksum', async () => {
    const h = harness();
    h.ddbMock.on(QueryCommand, { IndexName: undefined }).resolves({ Items: [folderItem('acme', 'john/2025/', NOW), folderItem('acme', 'john/2026/', NOW)] });
    h.ddbMock.on(QueryCommand, { IndexName: 'folder-by-name' }).resolves({
      Items: [
        file('uploads/acme/john/r\u00e9sum\u00e9.pdf', {
          name: 'Résumé (final).pdf',
          size: 1234,
          uploadedAt: '2026-11-02T03:04:05.000Z',
          uploadedBy: 'bob@acme.example',
          contentType: 'application/pdf',
          checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'AAECAwQFBgc=' },
        }),
      ],
      ScannedCount: 1,
    });

    const res = await h.call('GET', '/admin/api/files', { query: { endpoint: 'acme', prefix: 'john', pageSize: '50' } });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ endpoint: 'acme', prefix: 'john/', scope: 'folder', sort: 'name', order: 'asc', folders: ['john/2025/', 'john/2026/'], foldersTruncated: false, nextToken: null, scanned: 1 });
    expect(res.body.files).toEqual([
      {
        key: 'uploads/acme/john/r\u00e9sum\u00e9.pdf',
        endpoint: 'acme',
        name: 'Résumé (final).pdf',
        size: 1234,
        lastModified: '2026-11-02T03:04:05.000Z',
        uploadedBy: 'bob@acme.example',
        contentType: 'application/pdf',
        checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'AAECAwQFBgc=' },
        // Recorded before scanning existed: no scan tag, so the bucket policy (block) refuses it.
        scan: { state: 'not_scanned', scannedAt: null, threats: [], release: null },
        downloadable: false,
      },
    ]);
    const [folders, files] = inputsOf<QueryCommandInput>(h.ddbMock, QueryCommand);
    expect(folders).toMatchObject({ KeyConditionExpression: '#pk = :dir AND begins_with(#sk, :folder)', ExpressionAttributeValues: { ':dir': { S: 'acme/john/' } } });
    // "john" is listed as "john/": never the sibling johnny/. One item past the page tells a last page from one with more.
    expect(files).toMatchObject({ IndexName: 'folder-by-name', ScanIndexForward: true, Limit: 51, ExpressionAttributeValues: { ':p': { S: 'acme/john/' } } });
    expect(h.s3Mock.calls()).toHaveLength(0);
  });

  it.each<[Record<string, string>, string, boolean]>([
    [{ sort: 'size', order: 'desc' }, 'folder-by-size', false],
    [{ sort: 'time' }, 'folder-by-time', false],
    [{ sort: 'name', order: 'desc' }, 'folder-by-name', false],
    [{ scope: 'endpoint', sort: 'size', order: 'asc' }, 'endpoint-by-size', true],
    [{ scope: 'endpoint' }, 'endpoint-by-name', true],
  ])('%j reads index %s (ascending: %s)', async (query, index, ascending) => {
    const h = harness();
    await h.call('GET', '/admin/api/files', { query: { endpoint: 'acme', ...query } });
    const inputs = inputsOf<QueryCommandInput>(h.ddbMock, QueryCommand).filter((i) => i.IndexName);
    expect(inputs).toEqual([expect.objectContaining({ IndexName: index, ScanIndexForward: ascending })]);
  });

  it('answers a name prefix from the name index (key condition) and a substring with a filter, case-insensitively', async () => {
    const h = harness();
    await h.call('GET', '/admin/api/files', { query: { endpoint: 'acme', name: 'Rep', contains: 'Q3' } });
    const input = inputsOf<QueryCommandInput>(h.ddbMock, QueryCommand).find((i) => i.IndexName)!;
    expect(input.KeyConditionExpression).toBe('#p = :p AND begins_with(#s, :prefix)');
    expect(input.FilterExpression).toBe('contains(#search, :contains)');
    expect(input.ExpressionAttributeValues).toMatchObject({ ':prefix': { S: 'rep' }, ':contains': { S: 'q3' } });
  });

  it('without an endpoint answers the newest arrivals of every endpoint from the recent index', async () => {
    const h = harness();
    h.ddbMock.on(QueryCommand).resolves({ Items: [file('uploads/beta/new.bin'), file('uploads/acme/old.bin')], ScannedCount: 2 });
    const res = await h.call('GET', '/admin/api/files', { query: { from: '2026-11-01' } });
    expect(res.body).toMatchObject({ endpoint: null, scope: 'all', sort: 'time', order: 'desc', folders: [] });
    expect(res.body.files.map((f: { endpoint: string }) => f.endpoint)).toEqual(['beta', 'acme']);
    expect(inputsOf<QueryCommandInput>(h.ddbMock, QueryCommand)).toEqual([
      expect.objectContaining({ IndexName: 'recent', ScanIndexForward: false, KeyConditionExpression: '#p = :p AND #s >= :low', ExpressionAttributeValues: { ':p': { S: 'files' }, ':low': { S: '2026-11-01T00:00:00.000Z' } } }),
    ]);
  });

  it.each([
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
    ['2028-02-29T01:30:00+02:00', '2028-02-28T23:30:00.000Z'],
    ['2026-12-31T23:59:59.999Z', '2026-12-31T23:59:59.999Z'],
  ])('takes the real date %s as %s', async (from, low) => {
    const h = harness();
    h.ddbMock.on(QueryCommand).resolves({ Items: [], ScannedCount: 0 });
    expect((await h.call('GET', '/admin/api/files', { query: { from } })).status).toBe(200);
    expect(inputsOf<QueryCommandInput>(h.ddbMock, QueryCommand)[0]?.ExpressionAttributeValues).toMatchObject({ ':low': { S: low } });
  });

  it('hands out a token that resumes after the last file and is refused by any other listing', async () => {
    const h = harness();
    h.ddbMock.on(QueryCommand, { IndexName: 'folder-by-size' }).resolves({ Items: [file('uploads/acme/a.bin', { size: 9 })], ScannedCount: 1, LastEvaluatedKey: { pk: { S: 'acme/' } } });
    const first = await h.call('GET', '/admin/api/files', { query: { endpoint: 'acme', sort: 'size', pageSize: '50' } });
    expect(first.body.nextToken).toEqual(expect.any(String));
    h.ddbMock.resetHistory();
    await h.call('GET', '/admin/api/files', { query: { endpoint: 'acme', sort: 'size', continuationToken: first.body.nextToken } });
    const resumed = inputsOf<QueryCommandInput>(h.ddbMock, QueryCommand).find((i) => i.IndexName)!;
    expect(resumed.ExclusiveStartKey).toEqual({ pk: { S: 'acme/' }, sk: { S: 'f#a.bin' }, bySize: { S: `${'0'.repeat(15)}9\u0001a.bin` } });
    const others: Record<string, string>[] = [{ endpoint: 'acme', sort: 'name' }, { endpoint: 'beta', sort: 'size' }, { endpoint: 'acme', sort: 'size', order: 'asc' }, { endpoint: 'acme', sort: 'size', name: 'x' }];
    for (const other of others) {
      expect(await h.call('GET', '/admin/api/files', { query: { ...other, continuationToken: first.body.nextToken } })).toMatchObject({ status: 400, body: { error: { code: 'invalid_token' } } });
    }
  });

  it.each<[Record<string, string>, string]>([
    [{ endpoint: 'Bad Name' }, 'invalid_name'],
    [{ endpoint: 'acme', pageSize: '1001' }, 'invalid_page_size'],
    [{ endpoint: 'acme', pageSize: '500' }, 'invalid_page_size'],
    [{ endpoint: 'acme', pageSize: 'ten' }, 'invalid_page_size'],
    [{ endpoint: 'acme', sort: 'owner' }, 'invalid_sort'],
    [{ endpoint: 'acme', order: 'up' }, 'invalid_sort'],
    [{ sort: 'size' }, 'invalid_sort'],
    [{ scope: 'endpoint' }, 'invalid_sort'],
    [{ endpoint: 'acme', scope: 'all' }, 'invalid_sort'],
    [{ endpoint: 'acme', prefix: '../_portal/' }, 'invalid_prefix'],
    [{ endpoint: 'acme', scope: 'endpoint', prefix: 'a/' }, 'invalid_prefix'],
    [{ endpoint: 'acme', from: 'yesterday' }, 'invalid_time'],
    [{ endpoint: 'acme', from: '2026-13-01' }, 'invalid_time'],
    [{ endpoint: 'acme', from: '2026-02-31' }, 'invalid_time'],
    [{ endpoint: 'acme', from: '2026-04-31T10:00:00Z' }, 'invalid_time'],
    [{ endpoint: 'acme', to: '2026-02-29' }, 'invalid_time'],
    [{ endpoint: 'acme', to: '2026-11-01T24:00:00Z' }, 'invalid_time'],
    [{ endpoint: 'acme', from: '2026-11-01T10:60Z' }, 'invalid_time'],
    [{ endpoint: 'acme', from: '2026-11-01T10:00:00+24:00' }, 'invalid_time'],
    [{ endpoint: 'acme', from: '2026-11-02', to: '2026-11-01' }, 'invalid_time_range'],
    [{ endpoint: 'acme', contains: 'a\u0000b' }, 'invalid_search'],
    [{ endpoint: 'acme', name: 'x'.repeat(256) }, 'invalid_search'],
    [{ endpoint: 'acme', continuationToken: 'junk!' }, 'invalid_token'],
    [{ endpoint: 'acme', continuationToken: Buffer.from('{"v":1}').toString('base64url') }, 'invalid_token'],
  ])('answers 400 for %j without reading anything', async (query, code) => {
    const h = harness();
    expect(await h.call('GET', '/admin/api/files', { query })).toMatchObject({ status: 400, body: { error: { code } } });
    expect(h.ddbMock.commandCalls(QueryCommand)).toHaveLength(0);
    expect(h.s3Mock.calls()).toHaveLength(0);
  });

  it.each([
    [999, false],
    [1000, false],
    [1001, true],
    [2500, true],
  ])('of %i sub-folders shows the first 1,000 at most, and says whether there are more (foldersTruncated: %s)', async (count, truncated) => {
    const h = harness();
    const folders = Array.from({ length: count }, (_, i) => `f${String(i).padStart(4, '0')}/`);
    h.ddbMock.on(QueryCommand, { IndexName: undefined }).callsFake(folderPages(folders));
    h.ddbMock.on(QueryCommand, { IndexName: 'folder-by-name' }).resolves({ Items: [file('uploads/acme/a.txt')], ScannedCount: 1 });
    const res = await h.call('GET', '/admin/api/files', { query: { endpoint: 'acme' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ folders: folders.slice(0, 1000), foldersTruncated: truncated, files: [{ key: 'uploads/acme/a.txt' }] });
  });

  it('says the folders were cut when a search looks among the first 1,000 only', async () => {
    const h = harness();
    const folders = Array.from({ length: 1001 }, (_, i) => `f${String(i).padStart(4, '0')}/`);
    h.ddbMock.on(QueryCommand, { IndexName: undefined }).callsFake(folderPages(folders));
    h.ddbMock.on(QueryCommand, { IndexName: 'folder-by-name' }).resolves({ Items: [], ScannedCount: 0 });
    const res = await h.call('GET', '/admin/api/files', { query: { endpoint: 'acme', name: 'f000' } });
    expect(res.body).toMatchObject({ folders: folders.slice(0, 10), foldersTruncated: true });
  });

  it('gives very long folder names at most half of the response, says so, and still answers files under the ALB cap', async () => {
    // 1,000 folders named with ~1,000 `"` each (4 bytes apiece once embedded): about 4 MB of names.
    const h = harness();
    const folders = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(4, '0')}${'"'.repeat(1000)}/`);
    h.ddbMock.on(QueryCommand, { IndexName: undefined }).callsFake(folderPages(folders));
    const root = 'uploads/acme/';
    const items = Array.from({ length: 1000 }, (_, i) => {
      const tag = String(i).padStart(4, '0');
      return file(`${root}${tag}${'"'.repeat(1024 - root.length - tag.length)}`, { name: '"'.repeat(300), uploadedBy: '"'.repeat(300) });
    });
    h.ddbMock.on(QueryCommand, { IndexName: 'folder-by-name' }).callsFake((input: QueryCommandInput) => ({ Items: items.slice(0, input.Limit), ScannedCount: input.Limit }));
    const res = await h.call('GET', '/admin/api/files', { query: { endpoint: 'acme', pageSize: '1000' } });
    expect(res.status).toBe(200);
    const result = JSON.stringify(toAlbResult({ status: 200, headers: res.headers, body: JSON.stringify(res.body) }, true));
    expect(Buffer.byteLength(result)).toBeLessThanOrEqual(ALB_MAX_BODY_BYTES);
    expect(res.body.foldersTruncated).toBe(true);
    expect(res.body.folders).toEqual(folders.slice(0, res.body.folders.length));
    expect(res.body.folders.length).toBeGreaterThan(50);
    expect(Buffer.byteLength(JSON.stringify(JSON.stringify(res.body.folders)))).toBeLessThanOrEqual(ALB_MAX_BODY_BYTES / 2);
    expect(res.body.files.length).toBeGreaterThan(50);
    expect(res.body.nextToken).toEqual(expect.any(String));
  });

  it('keeps a page of 1,000 maximal keys and names under the ALB response cap, and pages through each file once', async () => {
    // 1,024-byte keys of `"` (4 bytes each once embedded in the Lambda result) and long names and uploaders.
    const h = harness();
    const root = 'uploads/acme/';
    const keys = Array.from({ length: 1500 }, (_, i) => {
      const tag = String(i).padStart(4, '0');
      return `${root}${tag}${'"'.repeat(1024 - root.length - tag.length)}`;
    });
    const items = keys.map((key) => file(key, { name: '"'.repeat(300), uploadedBy: '"'.repeat(300) }));
    h.ddbMock.on(QueryCommand, { IndexName: 'folder-by-name' }).callsFake((input: QueryCommandInput) => {
      const after = input.ExclusiveStartKey?.sk?.S;
      const start = after ? items.findIndex((item) => item.sk!.S === after) + 1 : 0;
      const slice = items.slice(start, start + input.Limit!);
      const end = start + slice.length;
      return { Items: slice, ScannedCount: slice.length, ...(end < items.length ? { LastEvaluatedKey: { pk: slice.at(-1)!.pk!, sk: slice.at(-1)!.sk! } } : {}) };
    });
    const seen: string[] = [];
    const sizes: number[] = [];
    let token: string | null = null;
    do {
      const query: Record<string, string> = { endpoint: 'acme', pageSize: '1000', ...(token ? { continuationToken: token } : {}) };
      const res = await h.call('GET', '/admin/api/files', { query });
      expect(res.status).toBe(200);
      const result = JSON.stringify(toAlbResult({ status: 200, headers: res.headers, body: JSON.stringify(res.body) }, true));
      expect(Buffer.byteLength(result)).toBeLessThanOrEqual(ALB_MAX_BODY_BYTES);
      seen.push(...res.body.files.map((f: { key: string }) => f.key));
      sizes.push(res.body.files.length);
      token = res.body.nextToken;
    } while (token);
    expect(seen).toEqual(keys);
    expect(sizes.slice(0, -1).every((n) => n > 100 && n < 1000)).toBe(true);
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
    // Confirmed gone; the catalog has no entry to remove, so nothing is audited.
    h.s3Mock.on(ListObjectsV2Command).resolves({});
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
    const [intent] = auditEvents(h);
    expect(auditEvents(h)).toEqual([
      expect.objectContaining({ action: 'file.deleting', endpoint: 'acme', target: key, details: { name: 'report.pdf', size: 10 } }),
      expect.objectContaining({ action: 'file.deleted', endpoint: 'acme', target: key, details: { name: 'report.pdf', size: 10, intentId: intent.id } }),
    ]);
    // The intent was stored before the object was deleted.
    const order = h.s3Mock.calls().map((c) => c.args[0].constructor.name);
    expect(order.indexOf('PutObjectCommand')).toBeLessThan(order.indexOf('DeleteObjectCommand'));
  });

  it('deletes nothing when the intent cannot be stored (500)', async () => {
    const h = harness();
    h.s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 10, Metadata: { 'original-name': 'report.pdf' } });
    h.s3Mock.on(DeleteObjectCommand).resolves({});
    h.s3Mock.on(PutObjectCommand).rejects(new Error('audit bucket unavailable'));
    const res = await h.call('DELETE', '/admin/api/files', { query: { key: 'uploads/acme/sub/report.pdf' } });
    expect(res.status).toBe(500);
    expect(h.s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('records a deletion that failed after its intent as incomplete', async () => {
    const h = harness();
    const key = 'uploads/acme/sub/report.pdf';
    h.s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 10, Metadata: { 'original-name': 'report.pdf' } });
    h.s3Mock.on(DeleteObjectCommand).rejects(new Error('S3 down'));
    h.s3Mock.on(PutObjectCommand).resolves({});
    expect((await h.call('DELETE', '/admin/api/files', { query: { key } })).status).toBe(500);
    expect(auditEvents(h).map((e) => [e.action, e.details.incomplete ?? false])).toEqual([['file.deleting', false], ['file.deleted', true]]);
  });

  it('refuses to delete a file whose upload URL may still be valid (409 file_recently_uploaded), so an old small-file URL cannot write it back', async () => {
    const h = harness();
    const key = 'uploads/acme/new.txt';
    h.s3Mock.on(DeleteObjectCommand).resolves({});
    h.s3Mock.on(PutObjectCommand).resolves({});
    // Stored 4 minutes ago: a URL signed before it may live another minute (5 minutes at most, plus 30 s for clocks).
    h.s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 8, Metadata: {}, LastModified: new Date(NOW.getTime() - 240_000) });
    const refused = await h.call('DELETE', '/admin/api/files', { query: { key } });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'file_recently_uploaded' } } });
    expect(refused.body.error.message).toContain('90 s');
    expect(inputsOf(h.s3Mock, DeleteObjectCommand)).toEqual([]);
    // Stored 5.5 minutes ago: every URL that could store it has expired.
    h.s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 8, Metadata: {}, LastModified: new Date(NOW.getTime() - 330_000) });
    expect((await h.call('DELETE', '/admin/api/files', { query: { key } })).status).toBe(204);
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
