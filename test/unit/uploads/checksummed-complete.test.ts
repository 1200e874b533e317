// Completing a checksummed upload: the body must carry the whole file's CRC64NVME; every part S3 holds
// must carry its own; S3 is asked to check the assembled object against the file's checksum
// (FULL_OBJECT, with the declared size), a mismatch is 409 checksum_mismatch with nothing stored and the
// upload still resumable, and the answer carries the checksum S3 keeps. The list of parts shows each
// part's checksum. And every completion is written to the audit trail: an intent before S3 is asked,
// the result (with its checksum) after.
import { Logger } from '@aws-lambda-powertools/logger';
import { CompleteMultipartUploadCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AUDIT_ALL_PREFIX, AUDIT_ENDPOINT_PREFIX } from '../../../contract/audit-keys.js';
import { partChecksumOf, s3Error } from './fake-bucket.js';
import { useHarness, createViaApi, MiB, NOW } from './harness.js';

const h = useHarness();

afterEach(() => {
  vi.restoreAllMocks();
  h.bucket.install(h.s3Mock);
});

/** What S3 would compute for the assembled object (the fake bucket holds no bytes): 8 bytes, base64. */
const FILE_CHECKSUM = 'rosUhgp5mIg=';
const OTHER_CHECKSUM = 'AAAAAAAAAAA=';

/** A checksummed upload (as the page creates it) with parts of these sizes stored, each with its checksum. */
async function checksummedUpload(name: string, sizes: number[], token = h.customer()) {
  const declared = sizes.reduce((a, b) => a + b, 0);
  const created = await h.call('POST', '/api/s3/multipart', { token, body: { filename: name, metadata: { size: String(declared) }, checksumAlgorithm: 'CRC64NVME' } });
  expect(created.status).toBe(200);
  const { key, uploadId } = created.body as { key: string; uploadId: string };
  h.bucket.uploads.get(uploadId)!.objectChecksum = FILE_CHECKSUM;
  const parts = sizes.map((size, i) => ({ PartNumber: i + 1, ETag: h.bucket.putPart(uploadId, i + 1, size) }));
  return { key, uploadId, parts, declared };
}

const complete = (key: string, uploadId: string, body: unknown, token = h.customer()) =>
  h.call('POST', `/api/s3/multipart/${encodeURIComponent(uploadId)}/complete`, { token, query: { key }, body });

const auditEvents = () =>
  [...h.bucket.objects.entries()].filter(([k]) => k.startsWith(AUDIT_ALL_PREFIX)).map(([, o]) => JSON.parse(o.body) as Record<string, unknown>);

describe('completing a checksummed upload', () => {
  it("asks S3 to verify the whole file's checksum (FULL_OBJECT, declared size, each part's checksum) and answers the checksum S3 keeps", async () => {
    const { key, uploadId, parts, declared } = await checksummedUpload('summed.bin', [16 * MiB, 16 * MiB, 3]);
    const result = await complete(key, uploadId, { parts, checksum: FILE_CHECKSUM });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body).toEqual({
      key,
      location: expect.stringContaining('summed.bin'),
      checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: FILE_CHECKSUM, hex: 'ae8b14860a799888' },
    });
    const input = h.s3Mock.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ ChecksumCRC64NVME: FILE_CHECKSUM, ChecksumType: 'FULL_OBJECT', MpuObjectSize: declared, IfNoneMatch: '*' });
    expect(input.MultipartUpload!.Parts).toEqual(parts.map((p) => ({ ...p, ChecksumCRC64NVME: partChecksumOf(p.PartNumber) })));
    expect(h.bucket.objects.get(key)).toMatchObject({ size: declared, checksum: FILE_CHECKSUM });
  });

  it("refuses a completion without the file's checksum (400 checksum_required) before asking S3, and keeps the upload", async () => {
    const { key, uploadId, parts } = await checksummedUpload('no-sum.bin', [5 * MiB, 1]);
    expect(await complete(key, uploadId, { parts })).toMatchObject({ status: 400, body: { error: { code: 'checksum_required' } } });
    expect(h.s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
    expect(h.bucket.uploads.has(uploadId)).toBe(true);
  });

  it('refuses a malformed checksum with 400 invalid_checksum before reading anything', async () => {
    for (const checksum of ['rosUhgp5mIg', 'rosUhgp5mIg==', 'ros$hgp5mIg=', 'ae8b14860a799888']) {
      const result = await complete('uploads/acme/x.bin', 'u1', { parts: [{ PartNumber: 1, ETag: '"a"' }], checksum });
      expect(result, checksum).toMatchObject({ status: 400, body: { error: { code: 'invalid_checksum' } } });
    }
    expect(h.s3Mock.calls().filter((c) => (c.args[0].input as { Key?: string }).Key !== '_portal/endpoints/acme.json')).toEqual([]);
  });

  it("answers a mismatch (S3's BadDigest) with 409 checksum_mismatch: nothing stored, the upload still resumable, and a correct completion afterwards works", async () => {
    const { key, uploadId, parts } = await checksummedUpload('mismatch.bin', [5 * MiB, 5 * MiB, 10]);
    const refused = await complete(key, uploadId, { parts, checksum: OTHER_CHECKSUM });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'checksum_mismatch', message: expect.stringContaining('nothing was stored') } } });
    expect(h.bucket.objects.has(key)).toBe(false);
    expect(h.bucket.uploads.has(uploadId)).toBe(true);
    // The intent, and a result saying S3 refused it.
    expect(auditEvents().filter((e) => e.target === key).map((e) => [e.action, (e.details as { error?: string }).error ?? null])).toEqual([
      ['upload.completing', null],
      ['upload.completed', 'BadDigest'],
    ]);
    const done = await complete(key, uploadId, { parts, checksum: FILE_CHECKSUM });
    expect(done).toMatchObject({ status: 200, body: { checksum: { base64: FILE_CHECKSUM } } });
    expect(h.bucket.objects.get(key)?.checksum).toBe(FILE_CHECKSUM);
  });

  it('refuses (409 part_checksum_missing) when a part S3 lists carries no checksum, before asking S3, naming the part', async () => {
    const { key, uploadId, parts } = await checksummedUpload('unsummed-part.bin', [5 * MiB, 5 * MiB, 10]);
    delete h.bucket.uploads.get(uploadId)!.parts.get(2)!.checksum;
    const result = await complete(key, uploadId, { parts, checksum: FILE_CHECKSUM });
    expect(result).toMatchObject({ status: 409, body: { error: { code: 'part_checksum_missing', message: expect.stringMatching(/^Part 2 /) } } });
    expect(h.s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
    expect(h.bucket.uploads.has(uploadId)).toBe(true);
  });

  it('refuses a checksum for an upload started without checksums (400 invalid_checksum): S3 could not have checked it', async () => {
    const created = await createViaApi(h, 'stock.bin', 10);
    const etag = h.bucket.putPart(created.body.uploadId, 1, 10);
    const result = await complete(created.body.key, created.body.uploadId, { parts: [{ PartNumber: 1, ETag: etag }], checksum: FILE_CHECKSUM });
    expect(result).toMatchObject({ status: 400, body: { error: { code: 'invalid_checksum' } } });
    expect(h.bucket.uploads.has(created.body.uploadId)).toBe(true);
  });

  it('answers a repeated completion whose first answer was lost with no checksum, never the one the retry sends (S3 did not check it)', async () => {
    const { key, uploadId, parts } = await checksummedUpload('lost.bin', [5 * MiB, 9]);
    expect((await complete(key, uploadId, { parts, checksum: FILE_CHECKSUM })).status).toBe(200);
    const same = await complete(key, uploadId, { parts, checksum: FILE_CHECKSUM });
    expect(same).toMatchObject({ status: 200, body: { key, location: null, checksum: null } });
    // A retry with another checksum gets no receipt for it.
    const other = await complete(key, uploadId, { parts, checksum: OTHER_CHECKSUM });
    expect(other).toMatchObject({ status: 200, body: { key, location: null, checksum: null } });
    expect(JSON.stringify(other.body)).not.toContain(OTHER_CHECKSUM);
    expect(h.s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(1);
    // Written once (intent and result), by the completion that stored the file.
    expect(auditEvents().filter((e) => e.target === key).map((e) => e.action)).toEqual(['upload.completing', 'upload.completed']);
  });
});

describe('list parts of a checksummed upload', () => {
  it("answers each part's checksum as S3 verified it", async () => {
    const { key, uploadId } = await checksummedUpload('listed-sums.bin', [5 * MiB, 5 * MiB, 1]);
    const result = await h.call('GET', `/api/s3/multipart/${uploadId}`, { token: h.customer(), query: { key } });
    expect(result.status).toBe(200);
    expect(result.body.map((p: { PartNumber: number; ChecksumCRC64NVME: string }) => [p.PartNumber, p.ChecksumCRC64NVME])).toEqual([1, 2, 3].map((n) => [n, partChecksumOf(n)]));
  });
});

describe('the audit event of a completion', () => {
  it('is written as upload.completed with key, endpoint, size, checksum and who sent it, in both streams', async () => {
    const jane = h.customer('acme', { email: 'jane@acme.example', sub: 'sub-jane' });
    const { key, uploadId, parts, declared } = await checksummedUpload('audited.bin', [5 * MiB, 7], jane);
    expect((await complete(key, uploadId, { parts, checksum: FILE_CHECKSUM }, jane)).status).toBe(200);
    const puts = h.s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input).filter((i) => i.Key!.startsWith('_portal/audit/'));
    // Intent and result, each in both streams.
    expect(puts.map((p) => p.Key!.slice(0, p.Key!.lastIndexOf('/') + 1)).sort()).toEqual([AUDIT_ALL_PREFIX, AUDIT_ALL_PREFIX, `${AUDIT_ENDPOINT_PREFIX}acme/`, `${AUDIT_ENDPOINT_PREFIX}acme/`]);
    expect(puts.every((p) => p.IfNoneMatch === '*')).toBe(true);
    const [intent, event] = auditEvents().filter((e) => e.target === key);
    expect(intent).toMatchObject({ action: 'upload.completing', at: NOW.toISOString(), endpoint: 'acme', target: key, details: { declaredSize: declared, principalKind: 'customer' } });
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      // Stamped after its intent even when the clock stands still (as in this test).
      at: new Date(NOW.getTime() + 1).toISOString(),
      action: 'upload.completed',
      actor: { subject: 'sub-jane', email: 'jane@acme.example' },
      endpoint: 'acme',
      target: key,
      details: { size: declared, checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: FILE_CHECKSUM, hex: 'ae8b14860a799888' }, principalKind: 'customer', intentId: intent!.id },
      sourceIp: '203.0.113.9',
      requestId: expect.any(String),
    });
  });

  it('records an admin as the sender, and a stock upload with no checksum', async () => {
    const created = await createViaApi(h, 'by-admin.bin', 10, { endpoint: 'globex' }, h.admin());
    const etag = h.bucket.putPart(created.body.uploadId, 1, 10);
    const done = await complete(created.body.key, created.body.uploadId, { parts: [{ PartNumber: 1, ETag: etag }] }, h.admin());
    expect(done).toMatchObject({ status: 200, body: { checksum: null } });
    const event = auditEvents().find((e) => e.target === created.body.key && e.action === 'upload.completed');
    expect(event).toMatchObject({ endpoint: 'globex', actor: { email: 'admin@example.com' }, details: { size: 10, checksum: null, principalKind: 'admin' } });
  });

  it('refuses the completion when its intent cannot be stored: nothing assembled, the upload still open', async () => {
    const { key, uploadId, parts } = await checksummedUpload('intent-down.bin', [5 * MiB, 7]);
    h.s3Mock.on(PutObjectCommand).rejects(s3Error('ServiceUnavailable', 503));
    const result = await complete(key, uploadId, { parts, checksum: FILE_CHECKSUM });
    expect(result.status).toBe(500);
    expect(h.s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
    expect(h.bucket.objects.has(key)).toBe(false);
    expect(h.bucket.uploads.has(uploadId)).toBe(true);
  });

  it('does not fail a completion S3 has carried out: a failed result write is logged as an error and the answer is 200', async () => {
    const errors = vi.spyOn(Logger.prototype, 'error');
    const { key, uploadId, parts } = await checksummedUpload('audit-down.bin', [5 * MiB, 7]);
    // The intent goes in; S3 stops taking audit writes once the object is assembled.
    h.s3Mock.on(PutObjectCommand).callsFake(async (input: { Key: string; Body: string }) => {
      if (h.bucket.objects.has(key)) throw s3Error('ServiceUnavailable', 503);
      h.bucket.putObject(input.Key, String(input.Body));
      return { ETag: '"audit"' };
    });
    const result = await complete(key, uploadId, { parts, checksum: FILE_CHECKSUM });
    expect(result).toMatchObject({ status: 200, body: { key, checksum: { base64: FILE_CHECKSUM } } });
    expect(h.bucket.objects.get(key)?.checksum).toBe(FILE_CHECKSUM);
    expect(errors).toHaveBeenCalledWith('audit write failed', expect.objectContaining({ audit: expect.objectContaining({ action: 'upload.completed', target: key }) }));
  });
});
