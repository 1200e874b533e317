// Part signing (one and batch): keys must lie inside the caller's endpoint whatever the upload id, part
// numbers, sizes and checksums are checked, a batch URL binds its part's size and checksum as signed
// headers (never as query parameters, which S3 ignores), and the plain one-part call, which binds no
// checksum, is refused for a checksummed upload.
import { GetObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { beforeAll, describe, expect, it } from 'vitest';
import { reservationKey } from '../../../lambdas/shared/upload-reservation.js';
import { useHarness, endpointRecord, createViaApi, MiB } from './harness.js';

const h = useHarness();
// The uploads these tests sign for were started by the portal (a stock client's: no size, no bound).
beforeAll(() => {
  h.bucket.putReservation('acme', 'uploads/acme/big file (2).iso');
  h.bucket.putReservation('globex', 'uploads/globex/secret.pdf');
});

const KEY = 'uploads/acme/big file (2).iso';
const CHECKSUM_PARAM = /^x-amz-(checksum-|sdk-checksum-algorithm)/i;
const CHECKSUM = 'rosUhgp5mIg=';
const part = (partNumber: number, size = 16 * MiB, checksum = CHECKSUM) => ({ partNumber, size, checksum });
const signBatch = (parts: unknown, query: Record<string, string> = { key: KEY }, uploadId = 'u1') =>
  h.call('POST', `/api/s3/multipart/${uploadId}/batch`, { token: h.customer(), query, body: { parts } });

function decode(url: string) {
  const parsed = new URL(url);
  return { path: decodeURIComponent(parsed.pathname), params: Object.fromEntries(parsed.searchParams) };
}

describe('sign one part', () => {
  it('answers {url, expires} for a PUT of that part of that upload, valid for PRESIGN_EXPIRES_SECONDS', async () => {
    const result = await h.call('GET', '/api/s3/multipart/upload%2B1/7', { token: h.customer(), query: { key: KEY } });
    expect(result.status).toBe(200);
    expect(result.body.expires).toBe(600);
    const { path, params } = decode(result.body.url);
    expect(path).toMatch(/\/uploads\/acme\/big file \(2\)\.iso$/);
    expect(params).toMatchObject({ partNumber: '7', uploadId: 'upload+1', 'X-Amz-Expires': '600', 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' });
    expect(params['X-Amz-SignedHeaders']).toBe('host');
    expect(h.metrics.get('PartsSigned')).toBe(1);
    // Signing is local. Besides the endpoint record (cached in production), the upload's reservation is
    // read once, to learn whether it is checksummed; the next part of the same upload reads nothing more.
    const reads = () => h.s3Mock.calls().map((c) => (c.args[0].input as { Key?: string }).Key);
    expect(reads().filter((k) => k !== '_portal/endpoints/acme.json')).toEqual([reservationKey('acme', KEY)]);
    h.s3Mock.resetHistory();
    expect((await h.call('GET', '/api/s3/multipart/upload%2B1/8', { token: h.customer(), query: { key: KEY } })).status).toBe(200);
    expect(reads().filter((k) => k !== '_portal/endpoints/acme.json')).toEqual([]);
  });

  it("refuses (400 checksum_required) a checksummed upload's part: its URLs must bind their checksums", async () => {
    const created = await h.call('POST', '/api/s3/multipart', { token: h.customer(), body: { filename: 'summed.iso', metadata: { size: String(64 * MiB) }, checksumAlgorithm: 'CRC64NVME' } });
    const { key, uploadId } = created.body;
    const plain = await h.call('GET', `/api/s3/multipart/${encodeURIComponent(uploadId)}/1`, { token: h.customer(), query: { key } });
    expect(plain).toMatchObject({ status: 400, body: { error: { code: 'checksum_required' } } });
    expect(h.metrics.get('PartsSigned')).toBeUndefined();
    // Remembered per upload: asked again, the answer is the same without reading the reservation again.
    h.s3Mock.resetHistory();
    expect((await h.call('GET', `/api/s3/multipart/${encodeURIComponent(uploadId)}/2`, { token: h.customer(), query: { key } })).status).toBe(400);
    expect(h.s3Mock.commandCalls(GetObjectCommand).filter((c) => c.args[0].input.Key === reservationKey('acme', key))).toEqual([]);
    // The batch call signs it; a stock client's upload still gets plain URLs.
    expect((await signBatch([part(1)], { key }, encodeURIComponent(uploadId))).status).toBe(200);
    const stock = await createViaApi(h, 'stock.iso', 64 * MiB);
    const stockUrl = await h.call('GET', `/api/s3/multipart/${encodeURIComponent(stock.body.uploadId)}/1`, { token: h.customer(), query: { key: stock.body.key } });
    expect(stockUrl.status).toBe(200);
  });

  it('honours a configured expiry', async () => {
    h.rebuild({ presignExpiresSeconds: 900 });
    try {
      const result = await h.call('GET', '/api/s3/multipart/u1/1', { token: h.customer(), query: { key: KEY } });
      expect(result.body.expires).toBe(900);
      expect(decode(result.body.url).params['X-Amz-Expires']).toBe('900');
    } finally {
      h.rebuild();
    }
  });

  it.each(['0', '10001', '-1', '1.5', 'abc', '1e3', '00001x', '%20'])('refuses part number %j with 400', async (n) => {
    const result = await h.call('GET', `/api/s3/multipart/u1/${n}`, { token: h.customer(), query: { key: KEY } });
    expect(result).toMatchObject({ status: 400, body: { error: { code: 'invalid_part_number' } } });
  });

  it('accepts part numbers 1 and 10000', async () => {
    for (const n of ['1', '10000']) {
      expect((await h.call('GET', `/api/s3/multipart/u1/${n}`, { token: h.customer(), query: { key: KEY } })).status).toBe(200);
    }
  });

  it('refuses a missing key with 400 and a malformed upload id with 400', async () => {
    expect((await h.call('GET', '/api/s3/multipart/u1/1', { token: h.customer() })).body.error.code).toBe('missing_key');
    const bad = await h.call('GET', '/api/s3/multipart/u%0A1/1', { token: h.customer(), query: { key: KEY } });
    expect(bad.body.error.code).toBe('invalid_upload_id');
  });
});

describe('keys outside the caller endpoint: 403 whatever the upload id', () => {
  const foreign = [
    'uploads/globex/secret.pdf',
    'uploads/acmex/file.pdf',
    'uploads/acme',
    'uploads/acme/',
    'uploads/acme/../globex/secret.pdf',
    'uploads/acme/./a.pdf',
    'uploads/acme//a.pdf',
    'uploads/acme/sub/',
    'uploads/acme/.hidden',
    'uploads/acme/a\u0000.pdf',
    'uploads/acme/a\r\n.pdf',
    'uploads/acme/a\\..\\b.pdf',
    'uploads/.portal-pending/acme/0123.json',
    '_portal/endpoints/acme.json',
    '/uploads/acme/a.pdf',
    'UPLOADS/acme/a.pdf',
    'uploads/acme/Cafe\u0301.pdf',
    `uploads/acme/${'x'.repeat(1020)}`, // over 1,024 bytes
    `uploads/acme/${'x'.repeat(256)}`, // a name over 255 bytes
  ];
  const calls: Array<[string, string, Record<string, string>, unknown?]> = [
    ['GET', '/api/s3/multipart/upload-1/1', {}],
    ['POST', '/api/s3/multipart/upload-1/batch', {}, { parts: [part(1), part(2)] }],
    ['GET', '/api/s3/multipart/upload-1', {}],
    ['POST', '/api/s3/multipart/upload-1/complete', {}, { parts: [{ PartNumber: 1, ETag: '"a"' }] }],
    ['DELETE', '/api/s3/multipart/upload-1', {}],
  ];

  it.each(foreign.map((k) => [k.length > 60 ? `${k.slice(0, 20)}... (${k.length} chars)` : k, k]))('refuses %j on sign, batch, list, complete and abort', async (_label, key) => {
    // A real upload with that id exists (in another endpoint): the id proves nothing.
    const uploadId = h.bucket.startUpload('uploads/globex/secret.pdf');
    for (const [method, path, query, body] of calls) {
      const result = await h.call(method, path.replace('upload-1', uploadId), { token: h.customer(), query: { ...query, key }, body });
      expect(result.status, `${method} ${path}`).toBe(403);
      expect(result.body.error.code).toBe('key_forbidden');
    }
    expect(h.bucket.uploads.has(uploadId)).toBe(true);
    expect(h.s3Mock.calls().every((c) => (c.args[0].input as { Key?: string }).Key?.startsWith('_portal/endpoints/'))).toBe(true);
  });

  it('lets an admin act on keys of any existing endpoint, and nowhere else', async () => {
    const ok = await h.call('GET', '/api/s3/multipart/u1/1', { token: h.admin(), query: { key: 'uploads/globex/secret.pdf' } });
    expect(ok.status).toBe(200);
    for (const key of ['uploads/nobody/a.pdf', 'uploads/.portal-pending/acme/x.json', '_portal/endpoints/acme.json', 'uploads/acme/../x']) {
      const refused = await h.call('GET', '/api/s3/multipart/u1/1', { token: h.admin(), query: { key } });
      expect(refused.status, key).toBe(403);
    }
  });

  it('a customer of a disabled endpoint cannot sign even inside its own prefix', async () => {
    h.bucket.putEndpoint(endpointRecord('paused', { disabled: true }));
    const result = await h.call('GET', '/api/s3/multipart/u1/1', { token: h.customer('paused'), query: { key: 'uploads/paused/a.pdf' } });
    expect(result.body.error.code).toBe('endpoint_disabled');
  });
});

describe('batch (POST, body {parts: [{partNumber, size, checksum}]})', () => {
  it('answers {presignedUrls: {n: url}} for each requested part, each binding its size and checksum', async () => {
    const result = await signBatch([part(3, 7), part(1), part(2, 16 * MiB, 'AAAAAAAAAAA=')]);
    expect(result.status).toBe(200);
    expect(Object.keys(result.body.presignedUrls).sort()).toEqual(['1', '2', '3']);
    for (const [n, url] of Object.entries(result.body.presignedUrls as Record<string, string>)) {
      expect(decode(url).params.partNumber).toBe(n);
      expect(decode(url).params['X-Amz-SignedHeaders']).toBe('content-length;host;x-amz-checksum-crc64nvme;x-amz-sdk-checksum-algorithm');
    }
    expect(h.metrics.get('PartsSigned')).toBe(3);
    // Signing is local: nothing but the endpoint record is read.
    expect(h.s3Mock.calls().every((c) => (c.args[0].input as { Key?: string }).Key === '_portal/endpoints/acme.json')).toBe(true);
  });

  it('signs 100 parts and refuses 101', async () => {
    const hundred = Array.from({ length: 100 }, (_, i) => part(i + 1));
    expect(Object.keys((await signBatch(hundred)).body.presignedUrls)).toHaveLength(100);
    const result = await signBatch([...hundred, part(101)]);
    expect(result).toMatchObject({ status: 400, body: { error: { code: 'too_many_parts' } } });
  });

  it.each<[string, unknown, string]>([
    ['no parts', [], 'invalid_body'],
    ['part numbers as the old query string', '1,2', 'invalid_body'],
    ['a repeated part', [part(1), part(1)], 'invalid_part_number'],
    ['part 0', [part(0), part(1)], 'invalid_part_number'],
    ['part 10001', [part(1), part(10_001)], 'invalid_part_number'],
    ['size 0', [part(1, 0)], 'invalid_part_size'],
    ['size 5 GiB + 1', [part(1, 5 * 1024 * MiB + 1)], 'invalid_part_size'],
    ['a checksum of the wrong length', [part(1, MiB, 'rosUhgp5mIgA=')], 'invalid_checksum'],
    ['a checksum outside the base64 alphabet', [part(1, MiB, 'rosUhgp5mI*=')], 'invalid_checksum'],
    ['no checksum', [{ partNumber: 1, size: MiB }], 'invalid_checksum'],
  ])('refuses %s with 400', async (_label, parts, code) => {
    const result = await signBatch(parts);
    expect(result).toMatchObject({ status: 400, body: { error: { code } } });
    expect(h.metrics.get('PartsSigned')).toBeUndefined();
  });

  it('is a POST: the former GET form is not a batch call', async () => {
    const result = await h.call('GET', '/api/s3/multipart/u1/batch', { token: h.customer(), query: { key: KEY, partNumbers: '1,2' } });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('invalid_part_number');
  });
});

describe('checksums in part URLs: signed headers, never query parameters', () => {
  it('plain URLs carry no checksum at all; batch URLs carry theirs only in X-Amz-SignedHeaders', async () => {
    const one = await h.call('GET', '/api/s3/multipart/u1/1', { token: h.customer(), query: { key: KEY } });
    const batch = await signBatch([part(1), part(2), part(3)]);
    expect(decode(one.body.url).params['X-Amz-SignedHeaders']).toBe('host');
    const urls = [one.body.url as string, ...Object.values(batch.body.presignedUrls as Record<string, string>)];
    for (const url of urls) {
      const names = [...new URL(url).searchParams.keys()];
      expect(names.filter((n) => CHECKSUM_PARAM.test(n)), url).toEqual([]);
      expect(names.some((n) => /checksum/i.test(n))).toBe(false);
      expect(url).not.toContain(encodeURIComponent(CHECKSUM));
    }
  });

  it('the same check does catch them on a client with the SDK default checksum behaviour (the test can fail)', async () => {
    const defaults = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
    const url = await getSignedUrl(defaults, new UploadPartCommand({ Bucket: 'b', Key: 'k', UploadId: 'u', PartNumber: 1 }), { expiresIn: 60 });
    expect([...new URL(url).searchParams.keys()].filter((n) => CHECKSUM_PARAM.test(n)).length).toBeGreaterThan(0);
  });
});
