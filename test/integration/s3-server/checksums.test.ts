// Flexible checksums on the local S3 server, checked with the SDK as the client and as the oracle: multipart
// FULL_OBJECT and COMPOSITE checksums, part rules, hoisted query checksums, S3's default CRC64NVME for an
// object sent without a checksum, and conditional presigned PUTs.
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type ChecksumAlgorithm,
  type ChecksumType,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET, captureRequestHeaders, errorCode, errorMessage, sdkError, signedRequest, startTestServer, type TestServer } from './helpers.js';
import { MiB } from '../../../contract/limits.js';

let t: TestServer;
/** Computes flexible checksums itself (the SDK's default), so its values are an oracle independent of the server. */
let s3: S3Client;
/** Sends only the checksums it is given, like a browser uploading to presigned URLs. */
let plain: S3Client;
let oracleCount = 0;

beforeAll(async () => {
  t = await startTestServer();
  s3 = t.client({ requestChecksumCalculation: 'WHEN_SUPPORTED' });
  plain = t.client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
});
afterAll(() => t.close());

/** The CRC64NVME the SDK itself computes for `data` (the header it sends with a single PutObject). */
async function sdkCrc64nvme(data: Buffer): Promise<string> {
  const client = t.client({ requestChecksumCalculation: 'WHEN_SUPPORTED' });
  const sent = captureRequestHeaders(client);
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `oracle/${oracleCount++}`, Body: data, ChecksumAlgorithm: 'CRC64NVME' }));
  const value = sent[0]?.['x-amz-checksum-crc64nvme'];
  if (value === undefined) throw new Error('the SDK sent no CRC64NVME');
  return value;
}

async function createUpload(key: string, algorithm?: ChecksumAlgorithm, type?: ChecksumType): Promise<string> {
  const res = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ChecksumAlgorithm: algorithm, ChecksumType: type }));
  return res.UploadId!;
}

/** Three parts (5 MiB, 5 MiB, a tail) whose CRC64NVME the SDK computes as it uploads them. */
async function uploadThreeParts(key: string, uploadId: string, data: Buffer, client = s3): Promise<CompletedPart[]> {
  const bounds = [0, 5 * MiB, 10 * MiB, data.length];
  const parts: CompletedPart[] = [];
  for (let i = 0; i < 3; i++) {
    const body = data.subarray(bounds[i], bounds[i + 1]);
    const res = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: i + 1, Body: body, ChecksumAlgorithm: 'CRC64NVME' }));
    parts.push({ PartNumber: i + 1, ETag: res.ETag, ChecksumCRC64NVME: res.ChecksumCRC64NVME });
  }
  return parts;
}

describe('CreateMultipartUpload', () => {
  it.each([
    ['CRC64NVME', undefined, 'FULL_OBJECT'],
    ['CRC32', undefined, 'COMPOSITE'],
    ['CRC32C', 'FULL_OBJECT', 'FULL_OBJECT'],
    ['CRC32', 'COMPOSITE', 'COMPOSITE'],
    ['SHA1', undefined, 'COMPOSITE'],
    ['SHA256', 'COMPOSITE', 'COMPOSITE'],
  ] as const)('%s with type %s gives %s, echoed and listed', async (algorithm, type, expected) => {
    const key = `create/${algorithm}-${type}`;
    const res = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ChecksumAlgorithm: algorithm, ChecksumType: type }));
    expect([res.ChecksumAlgorithm, res.ChecksumType]).toEqual([algorithm, expected]);
    const listed = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: res.UploadId }));
    expect([listed.ChecksumAlgorithm, listed.ChecksumType]).toEqual([algorithm, expected]);
  });

  it.each([
    ['CRC64NVME', 'COMPOSITE', 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.'],
    ['SHA1', 'FULL_OBJECT', 'The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.'],
    ['SHA256', 'FULL_OBJECT', 'The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm.'],
  ] as const)('refuses %s with %s as S3 does', async (algorithm, type, message) => {
    const err = await sdkError(s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'create/refused', ChecksumAlgorithm: algorithm, ChecksumType: type })));
    expect([err.status, err.name, err.message]).toEqual([400, 'InvalidRequest', message]);
  });

  it('refuses a checksum type without an algorithm, and an unknown type', async () => {
    const alone = await signedRequest(t.server.url, { method: 'POST', path: `/${BUCKET}/create/type-only`, query: { uploads: '' }, headers: { 'x-amz-checksum-type': 'FULL_OBJECT' } });
    expect([alone.status, errorCode(alone.body)]).toEqual([400, 'InvalidRequest']);
    const unknown = await signedRequest(t.server.url, {
      method: 'POST',
      path: `/${BUCKET}/create/bad-type`,
      query: { uploads: '' },
      headers: { 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'PARTIAL' },
    });
    expect([unknown.status, errorCode(unknown.body)]).toEqual([400, 'InvalidRequest']);
  });
});

describe('FULL_OBJECT CRC64NVME over three parts', () => {
  it('verifies the whole-object checksum at completion: BadDigest keeps the upload, the right value completes it', async () => {
    const key = 'full/three-parts.bin';
    const data = randomBytes(10 * MiB + 777);
    const whole = await sdkCrc64nvme(data);
    const wrong = await sdkCrc64nvme(data.subarray(1));
    const uploadId = await createUpload(key, 'CRC64NVME', 'FULL_OBJECT');
    const parts = await uploadThreeParts(key, uploadId, data);
    // The server's part checksums equal the ones the SDK computed and sent.
    for (const [i, bounds] of [[0, 5 * MiB], [5 * MiB, 10 * MiB], [10 * MiB, data.length]].entries()) {
      expect(parts[i]!.ChecksumCRC64NVME).toBe(await sdkCrc64nvme(data.subarray(bounds[0], bounds[1])));
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
    expect([listed.ChecksumAlgorithm, listed.ChecksumType]).toEqual(['CRC64NVME', 'FULL_OBJECT']);
    expect(listed.Parts?.map((p) => [p.PartNumber, p.ChecksumCRC64NVME])).toEqual(parts.map((p) => [p.PartNumber, p.ChecksumCRC64NVME]));

    const complete = (extra: Partial<ConstructorParameters<typeof CompleteMultipartUploadCommand>[0]>) =>
      s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts }, ChecksumType: 'FULL_OBJECT', MpuObjectSize: data.length, ...extra }));
    const badDigest = await sdkError(complete({ ChecksumCRC64NVME: wrong }));
    expect([badDigest.status, badDigest.name]).toEqual([400, 'BadDigest']);
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })))).status).toBe(404);
    const badSize = await sdkError(complete({ ChecksumCRC64NVME: whole, MpuObjectSize: data.length + 1 }));
    expect([badSize.status, badSize.name]).toEqual([400, 'InvalidRequest']);
    const badType = await sdkError(complete({ ChecksumCRC64NVME: whole, ChecksumType: 'COMPOSITE' }));
    expect([badType.status, badType.name]).toEqual([400, 'BadDigest']);
    const otherAlgorithm = await sdkError(complete({ ChecksumCRC64NVME: undefined, ChecksumCRC32: 'AAAAAA==' }));
    expect([otherAlgorithm.status, otherAlgorithm.name]).toEqual([400, 'InvalidRequest']);
    // All refused before anything was stored: the upload is intact.
    expect((await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }))).Parts).toHaveLength(3);

    const done = await complete({ ChecksumCRC64NVME: whole });
    expect([done.ChecksumCRC64NVME, done.ChecksumType]).toEqual([whole, 'FULL_OBJECT']);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect([head.ChecksumCRC64NVME, head.ChecksumType, head.ContentLength]).toEqual([whole, 'FULL_OBJECT', data.length]);
    // The SDK validates a full-object CRC64NVME against the body it reads.
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect(createHash('sha256').update(await got.Body!.transformToByteArray()).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    expect(got.ChecksumType).toBe('FULL_OBJECT');
    // Without checksum mode, no checksum headers.
    expect((await plain.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ChecksumCRC64NVME).toBeUndefined();
  });

  it('computes the object checksum when the completion states none, and part checksums when parts carry none', async () => {
    const key = 'full/server-computed.bin';
    const data = randomBytes(10 * MiB + 3);
    const uploadId = await createUpload(key, 'CRC64NVME');
    // Parts sent without any checksum (the client computes none): S3 computes and stores the upload's algorithm.
    const bounds = [0, 5 * MiB, 10 * MiB, data.length];
    const parts: CompletedPart[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await plain.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: i + 1, Body: data.subarray(bounds[i], bounds[i + 1]) }));
      expect(res.ChecksumCRC64NVME).toBe(await sdkCrc64nvme(data.subarray(bounds[i], bounds[i + 1])));
      parts.push({ PartNumber: i + 1, ETag: res.ETag });
    }
    const listed = await plain.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
    expect(listed.Parts?.every((p) => p.ChecksumCRC64NVME !== undefined)).toBe(true);
    const done = await plain.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    expect([done.ChecksumCRC64NVME, done.ChecksumType]).toEqual([await sdkCrc64nvme(data), 'FULL_OBJECT']);
  });

  it('survives a restart mid-upload and still verifies the checksum at completion', async () => {
    const key = 'full/restarted.bin';
    const data = randomBytes(10 * MiB + 4321);
    const whole = await sdkCrc64nvme(data);
    const uploadId = await createUpload(key, 'CRC64NVME', 'FULL_OBJECT');
    const first = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: 1, Body: data.subarray(0, 5 * MiB), ChecksumAlgorithm: 'CRC64NVME' }));

    await t.restart();
    const after = t.client({ requestChecksumCalculation: 'WHEN_SUPPORTED' });
    const listed = await after.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
    expect([listed.ChecksumAlgorithm, listed.ChecksumType, listed.Parts?.[0]?.ChecksumCRC64NVME]).toEqual(['CRC64NVME', 'FULL_OBJECT', first.ChecksumCRC64NVME]);
    const rest = await Promise.all(
      [2, 3].map(async (n) => {
        const body = n === 2 ? data.subarray(5 * MiB, 10 * MiB) : data.subarray(10 * MiB);
        const res = await after.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: n, Body: body, ChecksumAlgorithm: 'CRC64NVME' }));
        return { PartNumber: n, ETag: res.ETag, ChecksumCRC64NVME: res.ChecksumCRC64NVME };
      }),
    );
    const parts = [{ PartNumber: 1, ETag: first.ETag, ChecksumCRC64NVME: first.ChecksumCRC64NVME }, ...rest];
    const complete = (value: string) =>
      after.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts }, ChecksumType: 'FULL_OBJECT', ChecksumCRC64NVME: value, MpuObjectSize: data.length }));
    expect((await sdkError(complete(first.ChecksumCRC64NVME!))).name).toBe('BadDigest');
    expect((await complete(whole)).ChecksumCRC64NVME).toBe(whole);
    const head = await after.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect([head.ChecksumCRC64NVME, head.ChecksumType]).toEqual([whole, 'FULL_OBJECT']);
    s3 = after;
    plain = t.client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
  });
});

describe('part checksums', () => {
  it('refuses a part checksum of another algorithm than the upload was created with', async () => {
    const key = 'parts/other-algorithm.bin';
    const uploadId = await createUpload(key, 'CRC64NVME');
    const err = await sdkError(s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: 1, Body: 'data', ChecksumAlgorithm: 'CRC32' })));
    expect([err.status, err.name, err.message]).toEqual([400, 'InvalidRequest', 'Checksum Type mismatch occurred, expected checksum Type: crc64nvme, actual checksum Type: crc32']);
    expect((await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }))).Parts ?? []).toHaveLength(0);
  });

  it('refuses x-amz-sdk-checksum-algorithm without a matching checksum header or trailer', async () => {
    const key = 'parts/sdk-header.bin';
    const uploadId = await createUpload(key, 'CRC64NVME');
    /** Part 1 of the upload, 'data', sent with these checksum headers only. */
    const putPart1 = (headers: Record<string, string>) => signedRequest(t.server.url, { method: 'PUT', path: `/${BUCKET}/${key}`, query: { uploadId, partNumber: '1' }, headers, body: 'data' });
    const alone = await putPart1({ 'x-amz-sdk-checksum-algorithm': 'CRC64NVME' });
    expect([alone.status, errorCode(alone.body)]).toEqual([400, 'InvalidRequest']);
    const crc = await sdkCrc64nvme(Buffer.from('data'));
    const other = await putPart1({ 'x-amz-sdk-checksum-algorithm': 'CRC32', 'x-amz-checksum-crc64nvme': crc });
    expect([other.status, errorCode(other.body), errorMessage(other.body)]).toEqual([400, 'InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.']);
    const matching = await putPart1({ 'x-amz-sdk-checksum-algorithm': 'CRC64NVME', 'x-amz-checksum-crc64nvme': crc });
    expect([matching.status, matching.headers['x-amz-checksum-crc64nvme']]).toEqual([200, crc]);
  });

  it('ignores a checksum hoisted into a presigned URL (S3 does not check it) and checks a signed checksum header', async () => {
    const key = 'parts/presigned.bin';
    const uploadId = await createUpload(key, 'CRC64NVME');
    const body = randomBytes(1000);
    const right = await sdkCrc64nvme(body);
    const wrong = await sdkCrc64nvme(Buffer.from('something else'));
    const command = new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: 1, ChecksumCRC64NVME: wrong });

    const hoisted = await getSignedUrl(plain, command, { expiresIn: 60 });
    expect(new URL(hoisted).searchParams.get('x-amz-checksum-crc64nvme')).toBe(wrong);
    const accepted = await fetch(hoisted, { method: 'PUT', body });
    expect(accepted.status).toBe(200);
    // What S3 stores is its own checksum of the bytes, not the ignored parameter.
    expect(accepted.headers.get('x-amz-checksum-crc64nvme')).toBe(right);
    const listed = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
    expect(listed.Parts?.[0]?.ChecksumCRC64NVME).toBe(right);

    // Kept as a signed header (what the portal does), the checksum binds the body.
    const unhoistableHeaders = new Set(['x-amz-checksum-crc64nvme']);
    const boundWrong = await getSignedUrl(plain, command, { expiresIn: 60, unhoistableHeaders });
    expect(new URL(boundWrong).searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-amz-checksum-crc64nvme');
    const refused = await fetch(boundWrong, { method: 'PUT', body, headers: { 'x-amz-checksum-crc64nvme': wrong } });
    expect([refused.status, errorCode(await refused.text())]).toEqual([400, 'BadDigest']);
    const boundRight = await getSignedUrl(plain, new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: 2, ChecksumCRC64NVME: right }), { expiresIn: 60, unhoistableHeaders });
    const ok = await fetch(boundRight, { method: 'PUT', body, headers: { 'x-amz-checksum-crc64nvme': right } });
    expect([ok.status, ok.headers.get('x-amz-checksum-crc64nvme')]).toEqual([200, right]);
  });
});

describe('COMPOSITE checksums', () => {
  it('are the checksum of the part checksums, suffixed -N, and every part checksum must be restated at completion', async () => {
    const key = 'composite/sha256.bin';
    const data = randomBytes(5 * MiB + 99);
    const uploadId = await createUpload(key, 'SHA256');
    const bodies = [data.subarray(0, 5 * MiB), data.subarray(5 * MiB)];
    const parts: CompletedPart[] = [];
    for (const [i, body] of bodies.entries()) {
      const res = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: i + 1, Body: body, ChecksumAlgorithm: 'SHA256' }));
      expect(res.ChecksumSHA256).toBe(createHash('sha256').update(body).digest('base64'));
      parts.push({ PartNumber: i + 1, ETag: res.ETag, ChecksumSHA256: res.ChecksumSHA256 });
    }
    // Computed here from the parts' bytes, independently of the server.
    const composite = `${createHash('sha256')
      .update(Buffer.concat(bodies.map((b) => createHash('sha256').update(b).digest())))
      .digest('base64')}-2`;

    const bare = await sdkError(s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) } })));
    expect([bare.status, bare.name, bare.message]).toEqual([
      400,
      'InvalidRequest',
      'The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.',
    ]);
    const wrong = await sdkError(s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts }, ChecksumSHA256: `${parts[0]!.ChecksumSHA256}-2` })));
    expect([wrong.status, wrong.name]).toEqual([400, 'BadDigest']);
    const fullType = await sdkError(s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts }, ChecksumType: 'FULL_OBJECT' })));
    expect([fullType.status, fullType.name]).toEqual([400, 'BadDigest']);

    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts }, ChecksumSHA256: composite, ChecksumType: 'COMPOSITE' }));
    expect([done.ChecksumSHA256, done.ChecksumType]).toEqual([composite, 'COMPOSITE']);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect([head.ChecksumSHA256, head.ChecksumType]).toEqual([composite, 'COMPOSITE']);
    // The SDK cannot validate a composite value against the body and must not fail on it.
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect((await got.Body!.transformToByteArray()).length).toBe(data.length);
  });

  it('accepts the composite value without its -N suffix, and a CRC32 composite of one part', async () => {
    const key = 'composite/crc32.bin';
    const uploadId = await createUpload(key, 'CRC32');
    const res = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: 1, Body: 'only part', ChecksumAlgorithm: 'CRC32' }));
    const raw = Buffer.from(res.ChecksumCRC32!, 'base64');
    const value = Buffer.alloc(4);
    value.writeUInt32BE(crc32(raw));
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: res.ETag, ChecksumCRC32: res.ChecksumCRC32 }] }, ChecksumCRC32: value.toString('base64') }),
    );
    expect([done.ChecksumCRC32, done.ChecksumType]).toEqual([`${value.toString('base64')}-1`, 'COMPOSITE']);
  });
});

describe('PutObject', () => {
  it('stores a sent checksum as FULL_OBJECT and returns it with checksum mode', async () => {
    const data = Buffer.from('small file with a checksum');
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'put/checksummed.txt', Body: data, ChecksumAlgorithm: 'CRC64NVME' }));
    expect([put.ChecksumCRC64NVME, put.ChecksumType]).toEqual([await sdkCrc64nvme(data), 'FULL_OBJECT']);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'put/checksummed.txt', ChecksumMode: 'ENABLED' }));
    expect([head.ChecksumCRC64NVME, head.ChecksumType]).toEqual([put.ChecksumCRC64NVME, 'FULL_OBJECT']);
  });

  it("gives an object sent without a checksum S3's default, a FULL_OBJECT CRC64NVME, in the answer and with checksum mode", async () => {
    const data = randomBytes(70_000);
    const sent = captureRequestHeaders(plain);
    const put = await plain.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'put/no-checksum.bin', Body: data }));
    expect(Object.keys(sent[0]!).filter((name) => name.startsWith('x-amz-checksum') || name === 'content-md5')).toEqual([]); // nothing declared
    const expected = await sdkCrc64nvme(data);
    expect([put.ChecksumCRC64NVME, put.ChecksumType]).toEqual([expected, 'FULL_OBJECT']);
    const head = await plain.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'put/no-checksum.bin', ChecksumMode: 'ENABLED' }));
    expect([head.ChecksumCRC64NVME, head.ChecksumType, head.ChecksumCRC32]).toEqual([expected, 'FULL_OBJECT', undefined]);
    const got = await plain.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'put/no-checksum.bin', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumCRC64NVME).toBe(expected);
    await got.Body!.transformToByteArray();
  });

  it('keeps a sent checksum of another algorithm instead of the default', async () => {
    const data = Buffer.from('a CRC32 the client computed');
    const value = Buffer.alloc(4);
    value.writeUInt32BE(crc32(data));
    const put = await plain.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'put/crc32.txt', Body: data, ChecksumCRC32: value.toString('base64') }));
    expect(put.ChecksumCRC32).toBe(value.toString('base64'));
    const head = await plain.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'put/crc32.txt', ChecksumMode: 'ENABLED' }));
    expect([head.ChecksumCRC32, head.ChecksumCRC64NVME, head.ChecksumType]).toEqual([value.toString('base64'), undefined, 'FULL_OBJECT']);
  });

  it("gives a form upload (POST Object) the default CRC64NVME too", async () => {
    const data = randomBytes(3000);
    const post = await createPresignedPost(plain, { Bucket: BUCKET, Key: 'post/no-checksum.bin', Conditions: [['content-length-range', 0, 10_000]], Expires: 60 });
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(data)]), 'no-checksum.bin');
    expect((await fetch(post.url, { method: 'POST', body: form })).status).toBe(204);
    const head = await plain.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'post/no-checksum.bin', ChecksumMode: 'ENABLED' }));
    expect([head.ChecksumCRC64NVME, head.ChecksumType]).toEqual([await sdkCrc64nvme(data), 'FULL_OBJECT']);
  });

  it('gives no default to the parts or the object of a multipart upload created without an algorithm (not documented for S3)', async () => {
    const key = 'full/no-algorithm.bin';
    const data = randomBytes(5 * MiB + 10);
    const uploadId = await createUpload(key);
    const bounds = [0, 5 * MiB, data.length];
    const parts: CompletedPart[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await plain.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: i + 1, Body: data.subarray(bounds[i], bounds[i + 1]) }));
      expect(res.ChecksumCRC64NVME).toBeUndefined();
      parts.push({ PartNumber: i + 1, ETag: res.ETag });
    }
    const listed = await plain.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
    expect(listed.Parts?.map((p) => p.ChecksumCRC64NVME)).toEqual([undefined, undefined]);
    const done = await plain.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    expect([done.ChecksumCRC64NVME, done.ChecksumType]).toEqual([undefined, undefined]);
    const head = await plain.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect([head.ChecksumCRC64NVME, head.ChecksumType, head.ETag]).toEqual([undefined, undefined, expect.stringMatching(/-2"$/)]);
  });

  it('with If-None-Match: * presigned together with Content-Length and Content-Type: a replay is 412, another length 403', async () => {
    const key = 'put/presigned-once.txt';
    const body = 'exactly these bytes';
    const signableHeaders = new Set(['content-type', 'content-length', 'if-none-match']);
    const presign = (k: string) =>
      getSignedUrl(plain, new PutObjectCommand({ Bucket: BUCKET, Key: k, ContentType: 'text/plain', ContentLength: Buffer.byteLength(body), IfNoneMatch: '*' }), { expiresIn: 60, signableHeaders });
    const url = await presign(key);
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host;if-none-match');
    const headers = { 'content-type': 'text/plain', 'if-none-match': '*' };

    expect((await fetch(url, { method: 'PUT', body, headers })).status).toBe(200);
    const replay = await fetch(url, { method: 'PUT', body, headers });
    expect([replay.status, errorCode(await replay.text())]).toEqual([412, 'PreconditionFailed']);
    const replayOther = await fetch(url, { method: 'PUT', body: body.toUpperCase(), headers });
    expect(replayOther.status).toBe(412);
    const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect([await stored.Body!.transformToString(), stored.ContentType]).toEqual([body, 'text/plain']);

    // The browser sets Content-Length from the body, so another length no longer matches the signature.
    const fresh = await presign('put/presigned-length.txt');
    const longer = await fetch(fresh, { method: 'PUT', body: `${body}!`, headers });
    expect([longer.status, errorCode(await longer.text())]).toEqual([403, 'SignatureDoesNotMatch']);
    const withoutCondition = await fetch(fresh, { method: 'PUT', body, headers: { 'content-type': 'text/plain' } });
    expect([withoutCondition.status, errorCode(await withoutCondition.text())]).toEqual([403, 'SignatureDoesNotMatch']);
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'put/presigned-length.txt' })))).status).toBe(404);
    expect((await fetch(fresh, { method: 'PUT', body, headers })).status).toBe(200);
  });
});
