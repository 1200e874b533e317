// Multipart uploads on the local S3 server: the S3 rules on parts and completion, ListParts paging, and a streamed 20 MiB upload.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET, bulkPut, errorCode, presignUrl, rawRequest, sdkError, signedRequest, startTestServer, type TestServer } from './helpers.js';
import { MiB, S3_MAX_PART_BYTES } from '../../../contract/limits.js';

let t: TestServer;
let s3: S3Client;

beforeAll(async () => {
  t = await startTestServer();
  s3 = t.client();
});
afterAll(() => t.close());

async function create(key: string, extra: Partial<ConstructorParameters<typeof CreateMultipartUploadCommand>[0]> = {}): Promise<string> {
  const res = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ...extra }));
  return res.UploadId!;
}

async function part(key: string, uploadId: string, partNumber: number, body: Buffer | string): Promise<CompletedPart> {
  const res = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body }));
  return { PartNumber: partNumber, ETag: res.ETag };
}

function complete(key: string, uploadId: string, parts: CompletedPart[], extra: { IfNoneMatch?: string } = {}): Promise<unknown> {
  return s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts }, ...extra }));
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('happy path', () => {
  it('streams a 20 MiB lib-storage upload in 5 MiB parts and serves it back intact', async () => {
    const data = randomBytes(20 * MiB + 12345);
    const upload = new Upload({
      client: s3,
      params: { Bucket: BUCKET, Key: 'big/file.bin', Body: data, ContentType: 'application/x-test', ContentDisposition: 'attachment', Metadata: { origin: 'lib-storage' } },
      partSize: 5 * MiB,
      queueSize: 4,
    });
    const done = await upload.done();
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-5"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big/file.bin' }));
    expect(got).toMatchObject({ ContentLength: data.length, ContentType: 'application/x-test', ContentDisposition: 'attachment', Metadata: { origin: 'lib-storage' }, ETag: done.ETag });
    expect(await sha256Of(got.Body as Readable)).toBe(createHash('sha256').update(data).digest('hex'));
    const tail = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big/file.bin', Range: `bytes=${5 * MiB - 3}-${5 * MiB + 2}` }));
    expect(Buffer.from(await tail.Body!.transformToByteArray()).equals(data.subarray(5 * MiB - 3, 5 * MiB + 3))).toBe(true);
  });

  it('computes the S3 multipart ETag and carries create-time metadata onto the object', async () => {
    const key = 'manual/two-parts.bin';
    const uploadId = await create(key, { ContentType: 'video/mp4', ContentDisposition: 'inline; filename="a.mp4"', Metadata: { customer: 'acme' } });
    const first = Buffer.alloc(5 * MiB, 'a');
    const parts = [await part(key, uploadId, 1, first), await part(key, uploadId, 2, 'tail')];
    expect(parts[0]!.ETag).toBe(`"${createHash('md5').update(first).digest('hex')}"`);
    const res = (await complete(key, uploadId, parts)) as { ETag: string; Key: string; Location: string };
    const md5s = Buffer.concat([createHash('md5').update(first).digest(), createHash('md5').update('tail').digest()]);
    expect(res.ETag).toBe(`"${createHash('md5').update(md5s).digest('hex')}-2"`);
    expect(res.Key).toBe(key);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head).toMatchObject({ ContentLength: 5 * MiB + 4, ContentType: 'video/mp4', ContentDisposition: 'inline; filename="a.mp4"', Metadata: { customer: 'acme' }, ETag: res.ETag });
    // A retried completion (e.g. after a lost response) gets the same answer.
    expect(((await complete(key, uploadId, parts)) as { ETag: string }).ETag).toBe(res.ETag);
  });

  it('replaces a re-sent part number', async () => {
    const key = 'manual/resend.bin';
    const uploadId = await create(key);
    await part(key, uploadId, 1, 'old');
    const again = await part(key, uploadId, 1, 'new!');
    const listed = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([[1, again.ETag, 4]]);
    await complete(key, uploadId, [again]);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(await got.Body!.transformToString()).toBe('new!');
  });

  it('works with the default checksum mode (CRC32 per part, checked at completion)', async () => {
    const client = t.client({ requestChecksumCalculation: 'WHEN_SUPPORTED' });
    const data = randomBytes(5 * MiB + 10);
    const done = await new Upload({ client, params: { Bucket: BUCKET, Key: 'checksummed/upload.bin', Body: data }, partSize: 5 * MiB }).done();
    expect(done.ETag).toMatch(/-2"$/);
    const key = 'checksummed/manual.bin';
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ChecksumAlgorithm: 'CRC32' }));
    const p1 = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: 'x', ChecksumAlgorithm: 'CRC32' }));
    expect(p1.ChecksumCRC32).toBeDefined();
    const wrong = await sdkError(
      client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: 'AAAAAA==' }] } })),
    );
    expect(wrong.name).toBe('InvalidPart');
    await client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32 }] } }));
  });
});

describe('completion rules', () => {
  it('InvalidPart for a missing part or a different ETag', async () => {
    const key = 'rules/invalid-part';
    const uploadId = await create(key);
    const p1 = await part(key, uploadId, 1, 'only part');
    expect((await sdkError(complete(key, uploadId, [p1, { PartNumber: 2, ETag: p1.ETag }]))).name).toBe('InvalidPart');
    expect((await sdkError(complete(key, uploadId, [{ PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' }]))).name).toBe('InvalidPart');
    // Unquoted ETags are accepted, as by S3.
    await complete(key, uploadId, [{ PartNumber: 1, ETag: p1.ETag!.replace(/"/g, '') }]);
  });

  it('InvalidPartOrder when part numbers do not ascend', async () => {
    const key = 'rules/order';
    const uploadId = await create(key);
    const p1 = await part(key, uploadId, 1, Buffer.alloc(5 * MiB));
    const p2 = await part(key, uploadId, 2, 'b');
    const err = await sdkError(complete(key, uploadId, [p2, p1]));
    expect([err.name, err.status]).toEqual(['InvalidPartOrder', 400]);
    expect((await sdkError(complete(key, uploadId, [p1, p1]))).name).toBe('InvalidPartOrder');
  });

  it('EntityTooSmall when a non-last part is under 5 MiB (the last may be tiny)', async () => {
    const key = 'rules/small';
    const uploadId = await create(key);
    const parts = [await part(key, uploadId, 1, 'tiny'), await part(key, uploadId, 2, 'tiny too')];
    const err = await sdkError(complete(key, uploadId, parts));
    expect([err.name, err.status]).toEqual(['EntityTooSmall', 400]);
    await complete(key, uploadId, parts.slice(0, 1));
  });

  it('NoSuchUpload for an unknown id, another key, or an aborted upload', async () => {
    const key = 'rules/no-such';
    expect((await sdkError(complete(key, 'not-an-upload-id', [{ PartNumber: 1, ETag: '"x"' }]))).name).toBe('NoSuchUpload');
    const uploadId = await create(key);
    const p1 = await part(key, uploadId, 1, 'x');
    expect((await sdkError(complete('rules/other-key', uploadId, [p1]))).name).toBe('NoSuchUpload');
    expect((await sdkError(s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'rules/other-key', UploadId: uploadId, PartNumber: 2, Body: 'y' })))).name).toBe('NoSuchUpload');
    const aborted = await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
    expect(aborted.$metadata.httpStatusCode).toBe(204);
    expect((await sdkError(complete(key, uploadId, [p1]))).name).toBe('NoSuchUpload');
    expect((await sdkError(s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId })))).status).toBe(404);
    expect((await sdkError(s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId })))).name).toBe('NoSuchUpload');
  });

  it('If-None-Match: * refuses to overwrite with 412 and leaves the upload usable', async () => {
    const key = 'rules/exists.txt';
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'earlier upload' }));
    const uploadId = await create(key);
    const p1 = await part(key, uploadId, 1, 'later upload');
    const err = await sdkError(complete(key, uploadId, [p1], { IfNoneMatch: '*' }));
    expect([err.name, err.status]).toEqual(['PreconditionFailed', 412]);
    const listed = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
    expect(listed.Parts).toHaveLength(1);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(await got.Body!.transformToString()).toBe('earlier upload');
    const fresh = await create('rules/fresh.txt');
    await complete('rules/fresh.txt', fresh, [await part('rules/fresh.txt', fresh, 1, 'fresh')], { IfNoneMatch: '*' });
  });

  it('MalformedXML for a broken or empty part list', async () => {
    const key = 'rules/xml';
    const uploadId = await create(key);
    await part(key, uploadId, 1, 'x');
    for (const body of ['<CompleteMultipartUpload><Part>', '<CompleteMultipartUpload></CompleteMultipartUpload>', 'not xml', '<Other/>']) {
      const res = await signedRequest(t.server.url, { method: 'POST', path: `/${BUCKET}/${key}`, query: { uploadId }, body });
      expect([res.status, errorCode(res.body)], body).toEqual([400, 'MalformedXML']);
    }
  });

  it('InvalidArgument for part numbers outside 1..10000', async () => {
    const key = 'rules/numbers';
    const uploadId = await create(key);
    for (const n of [0, 10001]) {
      const err = await sdkError(s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: n, Body: 'x' })));
      expect([err.name, err.status]).toEqual(['InvalidArgument', 400]);
    }
    await part(key, uploadId, 10000, 'last possible');
  });

  it('EntityTooLarge for a part over 5 GiB, from its Content-Length, before a byte is read: a URL that binds no length stages at most S3_MAX_PART_BYTES', async () => {
    const key = 'rules/too-large-part';
    const uploadId = await create(key);
    const url = await presignUrl(t.server.url, 'PUT', `/${BUCKET}/${key}`, { partNumber: '1', uploadId });
    const refused = await rawRequest(url, { method: 'PUT', headers: { 'content-length': String(S3_MAX_PART_BYTES + 1) } });
    expect([refused.status, errorCode(refused.body)]).toEqual([400, 'EntityTooLarge']);
    expect((await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }))).Parts ?? []).toEqual([]);
    // The same URL with a body of a part's size is taken: the refusal was the size, not the URL.
    expect((await rawRequest(url, { method: 'PUT', body: 'x' })).status).toBe(200);
  });
});

describe('listing', () => {
  it('pages ListParts at 1,000 with NextPartNumberMarker, and honours max-parts', async () => {
    const key = 'list/many-parts';
    const uploadId = await create(key);
    await bulkPut(t, Array.from({ length: 1001 }, (_, i) => ({ key, body: `p${i + 1}`, uploadId, partNumber: i + 1 })));
    const first = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
    expect([first.Parts?.length, first.IsTruncated, first.NextPartNumberMarker, first.MaxParts]).toEqual([1000, true, '1000', 1000]);
    expect(first.Parts?.[999]?.PartNumber).toBe(1000);
    const second = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumberMarker: first.NextPartNumberMarker }));
    expect([second.Parts?.map((p) => p.PartNumber), second.IsTruncated]).toEqual([[1001], false]);
    const small = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MaxParts: 7, PartNumberMarker: '500' }));
    expect([small.Parts?.map((p) => p.PartNumber), small.NextPartNumberMarker, small.IsTruncated]).toEqual([[501, 502, 503, 504, 505, 506, 507], '507', true]);
    const capped = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MaxParts: 5000 }));
    expect(capped.Parts).toHaveLength(1000);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
  });

  it('lists in-progress uploads under a prefix', async () => {
    const a = await create('uploads/john/a.bin');
    const b = await create('uploads/john/b.bin');
    await create('uploads/johnny/c.bin');
    const res = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'uploads/john/' }));
    expect(res.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([
      ['uploads/john/a.bin', a],
      ['uploads/john/b.bin', b],
    ]);
    const paged = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'uploads/', MaxUploads: 2 }));
    expect([paged.Uploads?.length, paged.IsTruncated, paged.NextKeyMarker]).toEqual([2, true, 'uploads/john/b.bin']);
    const rest = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'uploads/', KeyMarker: paged.NextKeyMarker, UploadIdMarker: paged.NextUploadIdMarker }));
    expect(rest.Uploads?.map((u) => u.Key)).toEqual(['uploads/johnny/c.bin']);
  });
});
