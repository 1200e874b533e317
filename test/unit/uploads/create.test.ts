// POST /api/s3/multipart: the server picks the key, keeps the original name in metadata, never reuses
// a taken name, enforces the endpoint's limits on the declared size, and records that size for completion.
import { CreateMultipartUploadCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { reservationKey } from '../../../lambdas/shared/upload-reservation.js';
import { DEFAULT_HOLD_BOUNDS } from '../../../lambdas/shared/catalog/quota-holds.js';
import { readObjectMetadata } from '../../../lambdas/shared/object-metadata.js';
import { s3Error } from './fake-bucket.js';
import { useHarness, createViaApi, endpointRecord } from './harness.js';

const h = useHarness();

const uploadFor = (key: string) => [...h.bucket.uploads.values()].find((u) => u.key === key);

describe('create', () => {
  it('answers {key, uploadId} under the caller endpoint and records name, uploader and declared size', async () => {
    const result = await createViaApi(h, 'Résumé 2026.pdf', 12_345_678, {}, h.customer('acme', { email: 'jane@acme.example' }));
    expect(result.status).toBe(200);
    expect(Object.keys(result.body).sort()).toEqual(['key', 'uploadId']);
    expect(result.body.key).toBe('uploads/acme/Résumé 2026.pdf');
    const upload = uploadFor(result.body.key)!;
    expect(h.bucket.uploads.has(result.body.uploadId)).toBe(true);
    expect(upload.contentType).toBe('application/pdf');
    // Metadata is ASCII on the wire; it decodes back to the original.
    expect(Object.values(upload.metadata).every((v) => /^[\x20-\x7e]*$/.test(v))).toBe(true);
    expect(readObjectMetadata(upload.metadata)).toEqual({ originalName: 'Résumé 2026.pdf', uploadedBy: 'jane@acme.example', declaredSize: 12_345_678 });
    expect(h.metrics.get('UploadsCreated')).toBe(1);
  });

  it('stores the declared size in a reservation written with If-None-Match before the upload is created', async () => {
    const { body } = await createViaApi(h, 'sized.bin', 42 * 1024 * 1024);
    const put = h.s3Mock.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === reservationKey('acme', body.key))!;
    expect(put.args[0].input.IfNoneMatch).toBe('*');
    expect(JSON.parse((put.args[0].input.Body as string))).toMatchObject({ key: body.key, kind: 'multipart', declaredSize: 42 * 1024 * 1024 });
    const calls = h.s3Mock.calls().map((c) => c.args[0].constructor.name);
    expect(calls.indexOf('PutObjectCommand')).toBeLessThan(calls.indexOf('CreateMultipartUploadCommand'));
  });

  it('uses the subject as uploader when the token has no e-mail', async () => {
    const { body } = await createViaApi(h, 'no-mail.txt', 1, {}, h.customer('acme', { email: '', sub: 'sub-without-mail' }));
    expect(readObjectMetadata(uploadFor(body.key)!.metadata).uploadedBy).toBe('sub-without-mail');
  });

  it.each([
    ['../../etc/passwd', 'uploads/acme/passwd'],
    ['..\\..\\windows\\win.ini', 'uploads/acme/win.ini'],
    ['/absolute/path.txt', 'uploads/acme/path.txt'],
    ['.hidden', 'uploads/acme/hidden'],
    ['...env', 'uploads/acme/env'],
    ['evil\u0000na\u001fme\u007f.txt', 'uploads/acme/evilname.txt'],
    ['gpj\u202e.exe', 'uploads/acme/gpj.exe'],
    ['  spaced.txt  ', 'uploads/acme/spaced.txt'],
    ['Cafe\u0301.txt', 'uploads/acme/Caf\u00e9.txt'],
    ['a${filename}.txt', 'uploads/acme/afilename.txt'],
  ])('sanitises the filename %j to the key %j', async (filename, key) => {
    const result = await createViaApi(h, filename, 10);
    expect(result.status).toBe(200);
    expect(result.body.key).toBe(key);
  });

  it.each(['..', '.', '/', '\u0000\u0001', '   ', '../..', ''])('refuses the filename %j with 400', async (filename) => {
    const result = await createViaApi(h, filename, 10);
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('invalid_filename');
    expect(h.s3Mock.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
  });

  it('keeps a folder drop relative path as sanitised sub-folders, never climbing out', async () => {
    const ok = await createViaApi(h, 'img.jpg', 10, { relativePath: '/Holiday 2026/day 1/img.jpg' });
    expect(ok.body.key).toBe('uploads/acme/Holiday 2026/day 1/img.jpg');
    const climbing = await createViaApi(h, 'x.jpg', 10, { relativePath: '../../globex/./../x.jpg' });
    expect(climbing.body.key).toBe('uploads/acme/globex/x.jpg');
    const backslashes = await createViaApi(h, 'y.jpg', 10, { relativePath: 'a\\..\\.b\\y.jpg' });
    expect(backslashes.body.key).toBe('uploads/acme/a/b/y.jpg');
  });

  it('accepts a 255-byte name and refuses 256 bytes', async () => {
    const name255 = `${'é'.repeat(125)}a.pdf`; // 250 + 5 bytes
    expect(Buffer.byteLength(name255)).toBe(255);
    expect((await createViaApi(h, name255, 1)).status).toBe(200);
    const result = await createViaApi(h, `a${name255}`, 1);
    expect(result).toMatchObject({ status: 400, body: { error: { code: 'filename_too_long' } } });
  });

  it('refuses a key over 1,024 bytes (deep relative path) with 400 key_too_long', async () => {
    const folders = Array.from({ length: 5 }, (_, i) => `${i}${'f'.repeat(199)}`).join('/');
    const result = await createViaApi(h, 'deep.txt', 1, { relativePath: `${folders}/deep.txt` });
    expect(result).toMatchObject({ status: 400, body: { error: { code: 'key_too_long' } } });
  });

  it('refuses a folder name over 255 bytes', async () => {
    const result = await createViaApi(h, 'a.txt', 1, { relativePath: `${'d'.repeat(256)}/a.txt` });
    expect(result).toMatchObject({ status: 400, body: { error: { code: 'relative_path_too_long' } } });
  });

  describe('duplicate names', () => {
    it('gives a second upload of an existing file a distinct key, keeping the original name in metadata', async () => {
      h.bucket.putObject('uploads/acme/report.pdf', 'first');
      h.bucket.putObject('uploads/acme/report (2).pdf', 'second');
      const result = await createViaApi(h, 'report.pdf', 5);
      expect(result.body.key).toBe('uploads/acme/report (3).pdf');
      expect(readObjectMetadata(uploadFor(result.body.key)!.metadata).originalName).toBe('report.pdf');
      expect(h.bucket.objects.get('uploads/acme/report.pdf')!.body).toBe('first');
    });

    it('does not reuse the key of an upload still in progress', async () => {
      const first = await createViaApi(h, 'video.mp4', 5);
      const second = await createViaApi(h, 'video.mp4', 5);
      expect(first.body.key).toBe('uploads/acme/video.mp4');
      expect(second.body.key).toBe('uploads/acme/video (2).mp4');
    });

    it('skips a name in progress even when its reservation is gone (ListMultipartUploads)', async () => {
      h.bucket.startUpload('uploads/acme/legacy.zip');
      expect((await createViaApi(h, 'legacy.zip', 5)).body.key).toBe('uploads/acme/legacy (2).zip');
    });

    it('skips a name whose reservation another request won in the meantime (If-None-Match)', async () => {
      h.bucket.putObject(reservationKey('acme', 'uploads/acme/race.txt'), JSON.stringify({ version: 1, key: 'uploads/acme/race.txt' }));
      expect((await createViaApi(h, 'race.txt', 5)).body.key).toBe('uploads/acme/race (2).txt');
    });

    it('two simultaneous uploads of the same name get different keys', async () => {
      const [a, b] = await Promise.all([createViaApi(h, 'same.csv', 5), createViaApi(h, 'same.csv', 5)]);
      expect(new Set([a.body.key, b.body.key])).toEqual(new Set(['uploads/acme/same.csv', 'uploads/acme/same (2).csv']));
    });

    it('numbers before a compound extension, and only within the same folder', async () => {
      h.bucket.putObject('uploads/acme/backup.tar.gz', 'x');
      expect((await createViaApi(h, 'backup.tar.gz', 5)).body.key).toBe('uploads/acme/backup (2).tar.gz');
      expect((await createViaApi(h, 'backup.tar.gz', 5, { relativePath: 'sub/backup.tar.gz' })).body.key).toBe('uploads/acme/sub/backup.tar.gz');
    });

    it('falls back to a random tag after many copies, and gives up with 409 when nothing is free', async () => {
      for (let n = 1; n <= 20; n++) h.bucket.putObject(n === 1 ? 'uploads/acme/many.txt' : `uploads/acme/many (${n}).txt`, 'x');
      const tagged = await createViaApi(h, 'many.txt', 5);
      expect(tagged.body.key).toMatch(/^uploads\/acme\/many \([0-9a-f]{6}\)\.txt$/);
      h.s3Mock.on(ListObjectsV2Command).callsFake(({ Prefix }) => ({ Contents: [{ Key: Prefix }], KeyCount: 1 }));
      const none = await createViaApi(h, 'many.txt', 5);
      expect(none).toMatchObject({ status: 409, body: { error: { code: 'name_unavailable' } } });
      h.bucket.install(h.s3Mock);
    });
  });

  describe('limits and fields', () => {
    it('accepts a stock Companion client that declares no size, and records none', async () => {
      const result = await h.call('POST', '/api/s3/multipart', { token: h.customer(), body: { filename: 'a.pdf', type: 'application/pdf', metadata: { name: 'a.pdf' } } });
      expect(result.status).toBe(200);
      const put = h.s3Mock.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === reservationKey('acme', result.body.key))!;
      expect(JSON.parse((put.args[0].input.Body as string))).toMatchObject({ kind: 'multipart', declaredSize: null });
    });

    it.each([['-1'], ['1.5'], ['ten'], ['99999999999999999']])('refuses the declared size %j with 400', async (size) => {
      const result = await h.call('POST', '/api/s3/multipart', { token: h.customer(), body: { filename: 'a.pdf', metadata: { size } } });
      expect(result).toMatchObject({ status: 400, body: { error: { code: 'invalid_size' } } });
    });

    it("enforces the endpoint's maximum size on the declared size (413) and its allowed extensions (400)", async () => {
      h.bucket.putEndpoint(endpointRecord('limited', { maxFileSizeBytes: 1000, allowedExtensions: ['pdf', 'tar.gz'] }));
      const token = h.customer('limited');
      expect((await createViaApi(h, 'ok.pdf', 1000, {}, token)).status).toBe(200);
      expect((await createViaApi(h, 'ok.TAR.GZ', 1, {}, token)).status).toBe(200);
      expect((await createViaApi(h, 'big.pdf', 1001, {}, token)).body.error.code).toBe('file_too_large');
      expect((await createViaApi(h, 'big.pdf', 1001, {}, token)).status).toBe(413);
      const wrongType = await createViaApi(h, 'script.exe', 10, {}, token);
      expect(wrongType).toMatchObject({ status: 400, body: { error: { code: 'extension_not_allowed' } } });
      expect((await createViaApi(h, 'pdf', 10, {}, token)).status).toBe(400);
    });

    it("attacker: a stock client's virus.exe without a size on a .pdf-only endpoint is refused at create, before any hold, slot or upload", async () => {
      h.bucket.putEndpoint(endpointRecord('pdfonly', { allowedExtensions: ['pdf'], quotaBytes: 100 * 1024 ** 3 }));
      const result = await h.call('POST', '/api/s3/multipart', { token: h.customer('pdfonly'), body: { filename: 'virus.exe', type: 'application/octet-stream', metadata: { name: 'virus.exe' } } });
      expect(result).toMatchObject({ status: 400, body: { error: { code: 'extension_not_allowed' } } });
      // Nothing held in the catalog (no hold item, no slot, no reserved bytes) and nothing in the bucket.
      expect(h.ddbMock.commandCalls(dynamodb.PutItemCommand)).toHaveLength(0);
      expect(h.ddbMock.commandCalls(dynamodb.UpdateItemCommand)).toHaveLength(0);
      expect(h.s3Mock.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
      expect(h.s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
      // The same stock client's .pdf is admitted as before.
      const pdf = await h.call('POST', '/api/s3/multipart', { token: h.customer('pdfonly'), body: { filename: 'report.pdf', metadata: { name: 'report.pdf' } } });
      expect(pdf.status).toBe(200);
    });

    it('answers 429 too_many_uploads_in_progress when the endpoint holds the most uploads it may, and creates nothing', async () => {
      h.bucket.putEndpoint(endpointRecord('crowded'));
      const reserved = { pk: { S: '#reserved#crowded' }, sk: { S: '#reserved' } };
      const full = Array.from({ length: DEFAULT_HOLD_BOUNDS.maxHolds }, (_, i) => `hold-${i}`);
      h.ddbMock.on(dynamodb.GetItemCommand, { Key: reserved }).resolves({ Item: { ...reserved, holds: { SS: full } } });
      h.ddbMock.on(dynamodb.UpdateItemCommand, { Key: reserved }).rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));
      try {
        const result = await h.call('POST', '/api/s3/multipart', { token: h.customer('crowded'), body: { filename: 'a.pdf', metadata: { size: '10' } } });
        expect(result).toMatchObject({ status: 429, body: { error: { code: 'too_many_uploads_in_progress' } } });
        expect(result.body.error.message).toContain('2000 uploads in progress');
        expect(h.s3Mock.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
      } finally {
        h.ddbMock.on(dynamodb.GetItemCommand).resolves({});
        h.ddbMock.on(dynamodb.UpdateItemCommand).resolves({});
      }
    });

    it('stores a safe Content-Type, replacing a malformed one', async () => {
      const result = await h.call('POST', '/api/s3/multipart', {
        token: h.customer(),
        body: { filename: 'x.bin', type: 'text/html\r\nX-Evil: 1', metadata: { size: '3' } },
      });
      expect(uploadFor(result.body.key)!.contentType).toBe('application/octet-stream');
    });

    it('answers 415 for a non-JSON body and 400 for invalid JSON or a non-object', async () => {
      expect((await h.call('POST', '/api/s3/multipart', { token: h.customer(), body: 'filename=a', contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
      expect((await h.call('POST', '/api/s3/multipart', { token: h.customer(), body: '{"filename":' })).body.error.code).toBe('invalid_json');
      expect((await h.call('POST', '/api/s3/multipart', { token: h.customer(), body: '[1]' })).body.error.code).toBe('invalid_body');
      expect((await h.call('POST', '/api/s3/multipart', { token: h.customer(), body: { filename: 'a', metadata: 'x' } })).body.error.code).toBe('invalid_metadata');
    });
  });

  describe('endpoint choice', () => {
    it('refuses a customer naming another endpoint in metadata.endpoint', async () => {
      const result = await createViaApi(h, 'a.pdf', 1, { endpoint: 'globex' });
      expect(result).toMatchObject({ status: 403, body: { error: { code: 'endpoint_forbidden' } } });
      expect((await createViaApi(h, 'a.pdf', 1, { endpoint: 'acme' })).status).toBe(200);
    });

    it('lets an admin upload into any existing endpoint (even a disabled one) named in metadata.endpoint', async () => {
      h.bucket.putEndpoint(endpointRecord('dormant', { disabled: true }));
      const result = await createViaApi(h, 'from-admin.pdf', 1, { endpoint: 'dormant' }, h.admin());
      expect(result.body.key).toBe('uploads/dormant/from-admin.pdf');
      expect(readObjectMetadata(uploadFor(result.body.key)!.metadata).uploadedBy).toBe('admin@example.com');
    });

    it('answers an admin 400 without an endpoint, 400 for a malformed one and 404 for one that does not exist', async () => {
      expect((await createViaApi(h, 'a.pdf', 1, {}, h.admin())).body.error.code).toBe('endpoint_required');
      expect((await createViaApi(h, 'a.pdf', 1, { endpoint: '../acme' }, h.admin())).body.error.code).toBe('invalid_endpoint');
      const missing = await createViaApi(h, 'a.pdf', 1, { endpoint: 'nobody' }, h.admin());
      expect(missing).toMatchObject({ status: 404, body: { error: { code: 'endpoint_not_found' } } });
    });
  });

  it('hides an unexpected S3 failure behind a generic 500', async () => {
    h.s3Mock.on(CreateMultipartUploadCommand).rejects(s3Error('AccessDenied', 403, 'User arn:aws:sts::123:assumed-role/x is not authorized'));
    try {
      const result = await createViaApi(h, 'denied.pdf', 1);
      expect(result).toEqual({ status: 500, body: { error: { code: 'server_error', message: 'Internal server error' } } });
    } finally {
      h.bucket.install(h.s3Mock);
    }
  });
});

describe('a checksummed upload (checksumAlgorithm CRC64NVME)', () => {
  const MiB = 1024 * 1024;

  it('is created with ChecksumAlgorithm CRC64NVME and ChecksumType FULL_OBJECT, and its reservation records it', async () => {
    const result = await h.call('POST', '/api/s3/multipart', {
      token: h.customer(),
      body: { filename: 'summed.bin', metadata: { size: String(64 * MiB) }, checksumAlgorithm: 'CRC64NVME' },
    });
    expect(result.status).toBe(200);
    expect(uploadFor(result.body.key)).toMatchObject({ checksumAlgorithm: 'CRC64NVME', checksumType: 'FULL_OBJECT' });
    const reservation = h.bucket.reservations().find((r) => r.key === result.body.key);
    expect(reservation).toMatchObject({ kind: 'multipart', declaredSize: 64 * MiB, checksumAlgorithm: 'CRC64NVME' });
  });

  it('a stock Companion client (no checksumAlgorithm) gets an upload created as before, without checksum parameters', async () => {
    const { body } = await createViaApi(h, 'stock.bin', 64 * MiB);
    const input = h.s3Mock.commandCalls(CreateMultipartUploadCommand).at(-1)!.args[0].input;
    expect(input.ChecksumAlgorithm).toBeUndefined();
    expect(input.ChecksumType).toBeUndefined();
    expect(h.bucket.reservations().find((r) => r.key === body.key)).toMatchObject({ checksumAlgorithm: null });
  });

  it.each(['crc64nvme', 'CRC32C', 'SHA256', 1])('refuses checksumAlgorithm %j with 400 and creates nothing', async (checksumAlgorithm) => {
    const uploadsBefore = h.bucket.uploads.size;
    const result = await h.call('POST', '/api/s3/multipart', { token: h.customer(), body: { filename: 'x.bin', metadata: { size: '10' }, checksumAlgorithm } });
    expect(result).toMatchObject({ status: 400, body: { error: { code: 'invalid_checksum_algorithm' } } });
    expect(h.bucket.uploads.size).toBe(uploadsBefore);
    expect(h.s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});

describe('create with the first parts signed (`parts` in the body)', () => {
  const MiB = 1024 * 1024;
  const part = (partNumber: number, size = 16 * MiB, checksum = 'rosUhgp5mIg=') => ({ partNumber, size, checksum });
  const createSigning = (filename: string, parts: unknown, checksumAlgorithm: unknown = 'CRC64NVME', size = 64 * MiB) =>
    h.call('POST', '/api/s3/multipart', {
      token: h.customer(),
      body: { filename, type: 'application/octet-stream', metadata: { size: String(size) }, checksumAlgorithm, parts },
    });

  it('answers presignedUrls for exactly those parts of the new upload, each binding its size and checksum, as the batch call would', async () => {
    const parts = [part(1), part(2), part(3), part(4, 16 * MiB, 'AAAAAAAAAAA=')];
    const result = await createSigning('along.bin', parts);
    expect(result.status).toBe(200);
    const { key, uploadId, presignedUrls } = result.body as { key: string; uploadId: string; presignedUrls: Record<string, string> };
    expect(Object.keys(presignedUrls).sort()).toEqual(['1', '2', '3', '4']);
    for (const [n, url] of Object.entries(presignedUrls)) {
      const parsed = new URL(url);
      expect(decodeURIComponent(parsed.pathname)).toMatch(new RegExp(`/${key.replace(/[.()]/g, '\\$&')}$`));
      expect(Object.fromEntries(parsed.searchParams)).toMatchObject({ partNumber: n, uploadId, 'X-Amz-Expires': '600' });
      expect(parsed.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host;x-amz-checksum-crc64nvme;x-amz-sdk-checksum-algorithm');
    }
    const batch = await h.call('POST', `/api/s3/multipart/${encodeURIComponent(uploadId)}/batch`, { token: h.customer(), query: { key }, body: { parts: [part(1)] } });
    // The same URL but for the signing time (the real clock: the two calls may straddle a second).
    const timeless = (url: string) => url.replace(/X-Amz-Date=[^&]*&?|X-Amz-Signature=[^&]*&?/g, '');
    expect(timeless(batch.body.presignedUrls['1'])).toBe(timeless(presignedUrls['1']!));
    expect(h.metrics.get('PartsSigned')).toBe(5);
  });

  it('refuses a part no valid upload of the declared size can have (beyond its part count or size), at create and in a batch', async () => {
    // 64 MiB, cut as the page cuts it (the deployment's 16 MiB parts): exactly 4 parts of 16 MiB.
    expect(await createSigning('fifth.bin', [part(5, MiB)])).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    expect(await createSigning('fat.bin', [part(1, 16 * MiB + 1)])).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    const created = await createSigning('ok.bin', [part(1)]);
    const batch = (parts: unknown) =>
      h.call('POST', `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}/batch`, { token: h.customer(), query: { key: created.body.key }, body: { parts } });
    expect((await batch([part(4)])).status).toBe(200);
    expect((await batch([part(4, 4 * MiB)])).status).toBe(200);
    expect(await batch([part(4, 16 * MiB + 1)])).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    expect(await batch([part(5, 1)])).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    expect(await batch([part(10_000, 1)])).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    // A 1-byte declaration: one part of one byte, however it is asked for.
    const tiny = await createSigning('tiny.bin', [part(1, 1)], 'CRC64NVME', 1);
    expect(tiny.status).toBe(200);
    expect(await createSigning('tiny2.bin', [part(1, 2)], 'CRC64NVME', 1)).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    const plain = await h.call('POST', '/api/s3/multipart', { token: h.customer(), body: { filename: 'plain.bin', metadata: { size: '1' } } });
    const sign = (n: number) => h.call('GET', `/api/s3/multipart/${encodeURIComponent(plain.body.uploadId)}/${n}`, { token: h.customer(), query: { key: plain.body.key } });
    expect(await sign(2)).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    const one = await sign(1);
    expect(new URL(one.body.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
  });

  it('signs 100 and refuses 101 before anything is created', async () => {
    const hundred = Array.from({ length: 100 }, (_, i) => part(i + 1));
    expect(Object.keys((await createSigning('hundred.bin', hundred, 'CRC64NVME', 1600 * MiB)).body.presignedUrls)).toHaveLength(100);
    const uploadsBefore = h.bucket.uploads.size;
    const result = await createSigning('too-many.bin', [...hundred, part(101)], 'CRC64NVME', 1616 * MiB);
    expect(result).toMatchObject({ status: 400, body: { error: { code: 'too_many_parts' } } });
    expect(h.bucket.uploads.size).toBe(uploadsBefore);
  });

  it.each<[string, unknown, unknown, string]>([
    ['an empty list', [], 'CRC64NVME', 'invalid_body'],
    ['part numbers as a string', '1,2', 'CRC64NVME', 'invalid_body'],
    ['a repeated part number', [part(1), part(1)], 'CRC64NVME', 'invalid_part_number'],
    ['part number 0', [part(0), part(1)], 'CRC64NVME', 'invalid_part_number'],
    ['part number 10001', [part(10_001)], 'CRC64NVME', 'invalid_part_number'],
    ['size 0', [part(1, 0)], 'CRC64NVME', 'invalid_part_size'],
    ['size over 5 GiB', [part(1, 5 * 1024 * MiB + 1)], 'CRC64NVME', 'invalid_part_size'],
    ['a checksum of the wrong length', [part(1, MiB, 'rosUhgp5mIg')], 'CRC64NVME', 'invalid_checksum'],
    ['a checksum outside the base64 alphabet', [part(1, MiB, 'rosUhgp5m!g=')], 'CRC64NVME', 'invalid_checksum'],
    ['parts without checksumAlgorithm', [part(1)], null, 'checksum_required'],
  ])('refuses %s with 400, and creates no upload and no reservation', async (_label, parts, algorithm, code) => {
    const uploadsBefore = h.bucket.uploads.size;
    const result = await createSigning('refused.bin', parts, algorithm);
    expect(result).toMatchObject({ status: 400, body: { error: { code } } });
    expect(h.bucket.uploads.size).toBe(uploadsBefore);
    expect(h.s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('answers {key, uploadId} alone when parts is absent or null (stock Companion clients)', async () => {
    expect(Object.keys((await createSigning('plain.bin', undefined, null)).body).sort()).toEqual(['key', 'uploadId']);
    expect(Object.keys((await createSigning('plain-null.bin', null)).body).sort()).toEqual(['key', 'uploadId']);
  });
});
